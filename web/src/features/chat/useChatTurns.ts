import { useCallback, useMemo, useState } from "react";
import type { WorkspaceBus } from "@/features/workspace/bus";
import type { Attachment, ChatMessage } from "./api";
import type { TurnState } from "./stream";
import { useChatStream } from "./useChatStream";
import type { ThreadView } from "./useThread";

/** The saved messages a live edit or regenerate replaces: hidden from `from`, or after `after`. */
interface Hidden {
  from: string | null;
  after: string | null;
}
const NOTHING_HIDDEN: Hidden = { from: null, after: null };

/** Which saved messages the live turn replaces (an edit or a regenerate starts a new branch). */
function visibleMessages(messages: ChatMessage[], hide: Hidden, liveIds: (string | null)[]) {
  let out = messages;
  if (hide.from) {
    const index = out.findIndex((m) => m.id === hide.from);
    if (index !== -1) out = out.slice(0, index);
  }
  if (hide.after) {
    const index = out.findIndex((m) => m.id === hide.after);
    if (index !== -1) out = out.slice(0, index + 1);
  }
  return out.filter((m) => !liveIds.includes(m.id));
}

/**
 * The turns of the thread shown: send (making the first thread if need be), edit and
 * regenerate, the live reply, the model picked, the composer's draft and the follow-up
 * suggestions of the last reply.
 */
export function useChatTurns(chat: ThreadView, bus: WorkspaceBus) {
  const [model, setModel] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [hide, setHide] = useState<Hidden>(NOTHING_HIDDEN);
  const { threadId, create, setLeafId } = chat;
  const leaf = chat.branch.data?.leaf_id ?? null;
  const saved = chat.branch.data?.messages;

  const onFinished = useCallback(
    (turn: TurnState) => {
      setSuggestions(turn.suggestions);
      if (turn.assistantMessageId) setLeafId(turn.assistantMessageId);
      setHide(NOTHING_HIDDEN);
    },
    [setLeafId],
  );
  const stream = useChatStream(bus, onFinished);
  const { start, live } = stream;

  const send = useCallback(
    async (content: string, attachments: Attachment[]) => {
      const id = threadId ?? (await create());
      if (!id) return;
      setDraft("");
      setSuggestions([]);
      void start({ kind: "send", threadId: id, content, attachments, parentId: leaf, model });
    },
    [threadId, create, leaf, model, start],
  );

  const regenerate = (message: ChatMessage) => {
    setSuggestions([]);
    setHide(
      message.role === "assistant"
        ? { from: message.id, after: null }
        : { from: null, after: message.id },
    );
    void start({ kind: "regenerate", messageId: message.id, model });
  };

  const edit = (messageId: string, content: string) => {
    setSuggestions([]);
    setHide({ from: messageId, after: null });
    void start({ kind: "edit", messageId, content, model });
  };

  const messages = useMemo(
    () =>
      live
        ? visibleMessages(saved ?? [], hide, [
            live.state.userMessageId,
            live.state.assistantMessageId,
          ])
        : (saved ?? []),
    [saved, live, hide],
  );

  return {
    stream,
    messages,
    model,
    setModel,
    draft,
    setDraft,
    suggestions,
    clearSuggestions: useCallback(() => setSuggestions([]), []),
    send,
    regenerate,
    edit,
  };
}

export type ChatTurns = ReturnType<typeof useChatTurns>;
