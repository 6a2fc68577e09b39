import { MessageSquare } from "lucide-react";
import { useRef } from "react";
import { errorMessage } from "@/api/errors";
import { AssistantMessage } from "./AssistantMessage";
import { UserBubble } from "./UserBubble";
import { LiveTurnView } from "./LiveTurnView";
import type { ChatTurns } from "./useChatTurns";
import { useChatScroll } from "./useChatScroll";
import type { ThreadView } from "./useThread";

export interface ConversationProps {
  projectName: string;
  chat: ThreadView;
  turns: ChatTurns;
  /** The message shown from elsewhere: scrolled to and highlighted until `onFlashEnd`. */
  flash: string | null;
  onFlashEnd: () => void;
  onOpenFile: (path: string) => void;
  onConnectModel: () => void;
}

/** The branch shown of the thread, the live reply, and the follow-up suggestions. */
export function Conversation({
  projectName,
  chat,
  turns,
  flash,
  onFlashEnd,
  onOpenFile,
  onConnectModel,
}: ConversationProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const { threads, branch, threadId } = chat;
  const { messages, stream } = turns;
  const { live } = stream;
  const busy = stream.streaming;
  useChatScroll(scroller, { messages, live, flash, loading: branch.isPlaceholderData, onFlashEnd });
  const loading = threads.isPending || (threadId !== null && branch.isPending);
  const switchTo = (id: string) => void chat.switchTo(id);

  return (
    <div
      ref={scroller}
      className="min-h-0 flex-1 space-y-3 overflow-y-auto p-3"
      aria-live="polite"
      aria-busy={busy}
    >
      {threads.isError && <p className="text-sm text-destructive">{errorMessage(threads.error)}</p>}
      {branch.isError && <p className="text-sm text-destructive">{errorMessage(branch.error)}</p>}
      {loading && <p className="text-sm text-muted-foreground">Loading the conversation…</p>}
      {!live && messages.length === 0 && !loading && (
        <div className="flex flex-col items-center gap-2 py-10 text-center">
          <span className="grid size-12 place-items-center rounded-2xl bg-muted text-muted-foreground">
            <MessageSquare className="size-6" aria-hidden />
          </span>
          <p className="font-medium">Describe what to build</p>
          <p className="max-w-xs text-sm text-muted-foreground">
            Tell the agent what {projectName} should do. It edits the code and the preview updates
            as it works.
          </p>
        </div>
      )}
      {messages.map((m) =>
        m.role === "user" ? (
          <UserBubble
            key={m.id}
            message={m}
            content={m.content}
            busy={busy}
            highlighted={m.id === flash}
            onEdit={turns.edit}
            onSwitch={switchTo}
          />
        ) : (
          <AssistantMessage
            key={m.id}
            message={m}
            busy={busy}
            highlighted={m.id === flash}
            onRegenerate={() => turns.regenerate(m)}
            onSwitch={switchTo}
            onOpenFile={onOpenFile}
          />
        ),
      )}
      <LiveTurnView turns={turns} onOpenFile={onOpenFile} onConnectModel={onConnectModel} />
    </div>
  );
}
