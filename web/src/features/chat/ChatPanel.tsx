import { useQueryClient } from "@tanstack/react-query";
import { MessageSquare, Plus, Settings2 } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { useWorkspace } from "@/features/workspace/context";
import { cn } from "@/lib/utils";
import {
  branchKey,
  catalogue,
  readBranch,
  useBranch,
  useCreateThread,
  useLLMSettings,
  useThreads,
  type Attachment,
  type ChatMessage,
} from "./api";
import { Composer } from "./Composer";
import { LLMSettingsDialog } from "./LLMSettingsDialog";
import { formatCost } from "./format";
import { leafThrough, locateMessage } from "./locate";
import { AssistantMessage, LiveAssistant, UserBubble } from "./Messages";
import type { TurnState } from "./stream";
import { useChatStream, type StreamRequest } from "./useChatStream";

function threadLabel(title: string | null, createdAt: string): string {
  return (
    title ??
    `Chat of ${new Date(createdAt).toLocaleString([], { dateStyle: "short", timeStyle: "short" })}`
  );
}

/** Which saved messages the live turn replaces (an edit or a regenerate starts a new branch). */
function visibleMessages(
  messages: ChatMessage[],
  hideFrom: string | null,
  hideAfter: string | null,
  liveIds: (string | null)[],
) {
  let out = messages;
  if (hideFrom) {
    const index = out.findIndex((m) => m.id === hideFrom);
    if (index !== -1) out = out.slice(0, index);
  }
  if (hideAfter) {
    const index = out.findIndex((m) => m.id === hideAfter);
    if (index !== -1) out = out.slice(0, index + 1);
  }
  return out.filter((m) => !liveIds.includes(m.id));
}

export function ChatPanel({ className }: { className?: string }) {
  const { project, bus, registerChatSender } = useWorkspace();
  const queryClient = useQueryClient();
  const threads = useThreads(project.id);
  const createThread = useCreateThread(project.id);
  const llm = useLLMSettings();
  const [threadId, setThreadId] = useState<string | null>(null);
  const [leafId, setLeafId] = useState<string | null>(null);
  const [model, setModel] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [hide, setHide] = useState<{ from: string | null; after: string | null }>({
    from: null,
    after: null,
  });
  /** The message shown from elsewhere (a version's link): scrolled to and highlighted for a moment. */
  const [flash, setFlash] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  // The newest thread by default.
  const firstThread = threads.data?.[0]?.id ?? null;
  useEffect(() => {
    if (threadId === null && firstThread) setThreadId(firstThread);
  }, [threadId, firstThread]);

  const branch = useBranch(threadId, leafId);
  const onFinished = useCallback((turn: TurnState) => {
    setSuggestions(turn.suggestions);
    if (turn.assistantMessageId) setLeafId(turn.assistantMessageId);
    setHide({ from: null, after: null });
  }, []);
  const stream = useChatStream(bus, onFinished);
  const { start } = stream;

  const send = useCallback(
    async (content: string, attachments: Attachment[]) => {
      let id = threadId;
      if (!id) {
        try {
          const created = await createThread.mutateAsync(undefined);
          id = created.id;
          setThreadId(id);
          setLeafId(null);
        } catch {
          return;
        }
      }
      setDraft("");
      setSuggestions([]);
      const request: StreamRequest = {
        kind: "send",
        threadId: id,
        content,
        attachments,
        parentId: branch.data?.leaf_id ?? null,
        model,
      };
      void start(request);
    },
    [threadId, createThread, branch.data?.leaf_id, model, start],
  );

  // "Fix with AI" and other panels hand prompts to the chat.
  const sendRef = useRef(send);
  sendRef.current = send;
  const streamingRef = useRef(stream.streaming);
  streamingRef.current = stream.streaming;
  useEffect(() => {
    registerChatSender((prompt) => {
      if (streamingRef.current) setDraft(prompt);
      else void sendRef.current(prompt, []);
    });
    return () => registerChatSender(null);
  }, [registerChatSender]);

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

  const fetchBranch = useCallback(
    (thread: string, leaf: string) =>
      queryClient.query({
        queryKey: branchKey(thread, leaf),
        queryFn: () => readBranch(thread, leaf),
      }),
    [queryClient],
  );

  /** Shows the newest branch that goes through message `id` (a sibling). */
  const switchTo = async (id: string) => {
    const data = branch.data;
    if (!data || !threadId) return;
    const leaf = await leafThrough(fetchBranch, threadId, data.leaf_ids, id);
    if (leaf) setLeafId(leaf);
  };

  const live = stream.live;
  const messages = useMemo(
    () =>
      live
        ? visibleMessages(branch.data?.messages ?? [], hide.from, hide.after, [
            live.state.userMessageId,
            live.state.assistantMessageId,
          ])
        : (branch.data?.messages ?? []),
    [branch.data?.messages, live, hide],
  );

  // Follow the conversation as it grows.
  const liveSize = live
    ? live.state.items.reduce(
        (n, item) => n + (item.kind === "text" ? item.text.length : item.call.streamed.length + 1),
        0,
      )
    : 0;
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, liveSize]);

  /**
   * Shows message `id` wherever it is (another thread or branch), highlighted; with
   * `continueFrom` the branch ends at it, so the next message forks from there.
   */
  const showMessage = async (id: string, continueFrom: boolean) => {
    if (!continueFrom && messages.some((m) => m.id === id)) {
      setFlash(id);
      return;
    }
    if (stream.streaming) {
      toast.info("A reply is being written: the chat stays on it until it is done.");
      return;
    }
    const threadIds = threads.data?.map((t) => t.id) ?? [];
    const order = threadId ? [threadId, ...threadIds.filter((t) => t !== threadId)] : threadIds;
    try {
      const found = await locateMessage(fetchBranch, order, id);
      if (!found) {
        toast.info("That chat message no longer exists.");
        return;
      }
      setThreadId(found.threadId);
      setLeafId(continueFrom ? id : found.leafId);
      setSuggestions([]);
      setFlash(id);
    } catch (error) {
      toast.error(`Could not show the message: ${errorMessage(error)}`);
    }
  };
  const showMessageRef = useRef(showMessage);
  showMessageRef.current = showMessage;
  useEffect(
    () =>
      bus.subscribe((event) => {
        if (event.type === "chat:show-message") void showMessageRef.current(event.messageId, false);
        if (event.type === "chat:continue-from") void showMessageRef.current(event.messageId, true);
      }),
    [bus],
  );

  // Scroll to the message shown from elsewhere once its branch is loaded (after following the conversation above).
  const placeholder = branch.isPlaceholderData;
  useEffect(() => {
    if (!flash || placeholder) return;
    const el = scroller.current?.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(flash)}"]`,
    );
    if (!el) return;
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    const timer = setTimeout(() => setFlash(null), 2000);
    return () => clearTimeout(timer);
  }, [flash, placeholder, messages]);

  const openFile = (path: string) => bus.publish({ type: "editor:open", path });
  const thread = threads.data?.find((t) => t.id === threadId);
  const busy = stream.streaming;
  const noModel = live?.state.error?.code === "no_model";

  return (
    <section
      data-testid="chat-panel"
      aria-label="Chat"
      className={cn("flex h-full min-h-0 flex-col bg-background", className)}
    >
      <div className="flex h-10 shrink-0 items-center gap-1.5 border-b px-2 text-sm">
        <MessageSquare className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        {threads.data && threads.data.length > 0 ? (
          <Select
            value={threadId ?? ""}
            onValueChange={(id) => {
              setThreadId(id);
              setLeafId(null);
              setSuggestions([]);
            }}
            disabled={busy}
          >
            <SelectTrigger
              aria-label="Thread"
              className="h-7 min-w-0 flex-1 border-none px-1.5 text-sm font-medium shadow-none"
            >
              <SelectValue placeholder="Choose a thread" />
            </SelectTrigger>
            <SelectContent>
              {threads.data.map((t) => (
                <SelectItem key={t.id} value={t.id}>
                  {threadLabel(t.title, t.created_at)}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        ) : (
          <h2 className="flex-1 font-medium">Chat</h2>
        )}
        {thread?.usage && thread.usage.tokens > 0 && (
          <span
            className="hidden shrink-0 text-[11px] text-muted-foreground tabular-nums xl:inline"
            title="This thread's usage"
          >
            {thread.usage.tokens.toLocaleString()} tok · {formatCost(thread.usage.cost_usd)}
          </span>
        )}
        <SimpleTooltip label="New thread">
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="New thread"
            disabled={busy || createThread.isPending}
            onClick={() =>
              createThread.mutate(undefined, {
                onSuccess: (t) => {
                  setThreadId(t.id);
                  setLeafId(null);
                  setSuggestions([]);
                },
              })
            }
          >
            <Plus />
          </Button>
        </SimpleTooltip>
      </div>

      <div
        ref={scroller}
        className="min-h-0 flex-1 space-y-3 overflow-y-auto p-3"
        aria-live="polite"
        aria-busy={busy}
      >
        {threads.isError && (
          <p className="text-sm text-destructive">{errorMessage(threads.error)}</p>
        )}
        {branch.isError && <p className="text-sm text-destructive">{errorMessage(branch.error)}</p>}
        {(threads.isPending || (threadId && branch.isPending)) && (
          <p className="text-sm text-muted-foreground">Loading the conversation…</p>
        )}
        {!live &&
          messages.length === 0 &&
          !threads.isPending &&
          !(threadId && branch.isPending) && (
            <div className="flex flex-col items-center gap-2 py-10 text-center">
              <span className="grid size-12 place-items-center rounded-2xl bg-muted text-muted-foreground">
                <MessageSquare className="size-6" aria-hidden />
              </span>
              <p className="font-medium">Describe what to build</p>
              <p className="max-w-xs text-sm text-muted-foreground">
                Tell the agent what {project.name} should do. It edits the code and the preview
                updates as it works.
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
              onEdit={edit}
              onSwitch={(id) => void switchTo(id)}
            />
          ) : (
            <AssistantMessage
              key={m.id}
              message={m}
              busy={busy}
              highlighted={m.id === flash}
              onRegenerate={() => regenerate(m)}
              onSwitch={(id) => void switchTo(id)}
              onOpenFile={openFile}
            />
          ),
        )}
        {live && (
          <>
            {live.prompt !== null && (
              <UserBubble content={live.prompt} attachments={live.attachments} busy />
            )}
            <LiveAssistant turn={live.state} onOpenFile={openFile} />
            {noModel && (
              <Button size="sm" variant="outline" onClick={() => setSettingsOpen(true)}>
                <Settings2 /> Connect a model
              </Button>
            )}
            {!busy && (
              <Button size="sm" variant="ghost" onClick={stream.dismiss}>
                Dismiss
              </Button>
            )}
          </>
        )}
        {!busy && suggestions.length > 0 && (
          <div className="flex flex-wrap gap-1.5" aria-label="Suggestions" role="group">
            {suggestions.map((s) => (
              <Button
                key={s}
                size="sm"
                variant="outline"
                className="h-auto rounded-full px-3 py-1 text-left text-xs whitespace-normal"
                onClick={() => void send(s, [])}
              >
                {s}
              </Button>
            ))}
          </div>
        )}
      </div>

      <Composer
        streaming={busy}
        stopping={stream.stopping}
        disabled={createThread.isPending}
        models={catalogue(llm.data)}
        model={model}
        onModelChange={setModel}
        onSend={(content, attachments) => void send(content, attachments)}
        onStop={stream.stop}
        onOpenSettings={() => setSettingsOpen(true)}
        draft={draft}
        onDraftChange={setDraft}
      />
      <LLMSettingsDialog open={settingsOpen} onOpenChange={setSettingsOpen} />
    </section>
  );
}
