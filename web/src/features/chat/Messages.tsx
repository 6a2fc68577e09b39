import {
  Check,
  ChevronLeft,
  ChevronRight,
  Copy,
  GitCommitHorizontal,
  Loader2,
  Pencil,
  RefreshCw,
  TriangleAlert,
} from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { useCopyToClipboard } from "@/lib/hooks";
import { cn } from "@/lib/utils";
import type { Attachment, ChatMessage, UsageTotals } from "./api";
import { formatCost } from "./format";
import { Markdown } from "./Markdown";
import { toolCallFromRecord, type ToolCall, type TurnState } from "./stream";
import { ToolCallCard } from "./ToolCallCard";

export function UsageLine({ tokens, cost }: { tokens: number; cost: number }) {
  if (tokens === 0 && cost === 0) return null;
  return (
    <span data-testid="message-usage" className="text-[11px] text-muted-foreground tabular-nums">
      {tokens.toLocaleString()} tokens · {formatCost(cost)}
    </span>
  );
}

function BranchSwitcher({
  ids,
  current,
  onSwitch,
}: {
  ids: string[];
  current: string;
  onSwitch: (id: string) => void;
}) {
  const index = ids.indexOf(current);
  if (ids.length < 2 || index === -1) return null;
  const prev = ids[index - 1];
  const next = ids[index + 1];
  return (
    <span
      className="flex items-center text-[11px] text-muted-foreground tabular-nums"
      role="group"
      aria-label="Branches"
    >
      <Button
        variant="ghost"
        size="icon-sm"
        className="size-6"
        aria-label="Previous branch"
        disabled={!prev}
        onClick={() => prev && onSwitch(prev)}
      >
        <ChevronLeft />
      </Button>
      {index + 1}/{ids.length}
      <Button
        variant="ghost"
        size="icon-sm"
        className="size-6"
        aria-label="Next branch"
        disabled={!next}
        onClick={() => next && onSwitch(next)}
      >
        <ChevronRight />
      </Button>
    </span>
  );
}

function CopyButton({ text }: { text: string }) {
  const { copied, copy } = useCopyToClipboard();
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      className="size-6"
      aria-label={copied ? "Copied" : "Copy message"}
      onClick={() => void copy(text)}
    >
      {copied ? <Check /> : <Copy />}
    </Button>
  );
}

export function AttachmentChips({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <div className="mb-1 flex flex-wrap gap-1.5">
      {attachments.map((a, i) =>
        a.type === "image" ? (
          <img
            key={i}
            src={a.content}
            alt={a.name}
            className="size-14 rounded border object-cover"
          />
        ) : (
          <span key={i} className="rounded border bg-background px-1.5 py-0.5 text-[11px]">
            {a.name}
          </span>
        ),
      )}
    </div>
  );
}

/** A message shown from elsewhere (a version's "chat message" link) stands out for a moment. */
const HIGHLIGHT = "rounded-lg ring-2 ring-primary ring-offset-2 ring-offset-background";

export function UserBubble({
  message,
  content,
  attachments = [],
  busy,
  highlighted = false,
  onEdit,
  onSwitch,
}: {
  message?: ChatMessage;
  content: string;
  attachments?: Attachment[];
  busy: boolean;
  highlighted?: boolean;
  onEdit?: (id: string, content: string) => void;
  onSwitch?: (id: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(content);
  if (editing && message && onEdit) {
    return (
      <form
        className="ml-8 grid gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft.trim()) return;
          setEditing(false);
          onEdit(message.id, draft.trim());
        }}
      >
        <Textarea
          aria-label="Edit message"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          className="min-h-20 text-sm"
          autoFocus
        />
        <div className="flex justify-end gap-2">
          <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
          <Button type="submit" size="sm" disabled={busy}>
            Save and send
          </Button>
        </div>
      </form>
    );
  }
  return (
    <div
      className={cn(
        "group ml-8 flex flex-col items-end transition-shadow",
        highlighted && HIGHLIGHT,
      )}
      data-testid="chat-message"
      data-role="user"
      data-message-id={message?.id}
      data-highlighted={highlighted || undefined}
    >
      <div className="max-w-full rounded-2xl rounded-br-sm bg-primary/10 px-3 py-2 text-sm whitespace-pre-wrap break-words">
        <AttachmentChips attachments={attachments} />
        {content}
      </div>
      {message && (
        <div className="flex items-center gap-0.5 opacity-70 group-hover:opacity-100">
          {onSwitch && (
            <BranchSwitcher
              ids={message.sibling_ids ?? []}
              current={message.id}
              onSwitch={onSwitch}
            />
          )}
          {onEdit && (
            <SimpleTooltip label="Edit (starts a new branch)">
              <Button
                variant="ghost"
                size="icon-sm"
                className="size-6"
                aria-label="Edit message"
                disabled={busy}
                onClick={() => {
                  setDraft(content);
                  setEditing(true);
                }}
              >
                <Pencil />
              </Button>
            </SimpleTooltip>
          )}
        </div>
      )}
    </div>
  );
}

function ToolList({
  calls,
  onOpenFile,
}: {
  calls: ToolCall[];
  onOpenFile: (path: string) => void;
}) {
  return (
    <>
      {calls.map((call) => (
        <ToolCallCard key={call.id} call={call} onOpenFile={onOpenFile} />
      ))}
    </>
  );
}

function VersionLine({ hash, description }: { hash: string; description: string | null }) {
  return (
    <p
      className="mt-1 flex items-center gap-1 text-[11px] text-muted-foreground"
      data-testid="message-version"
    >
      <GitCommitHorizontal className="size-3" aria-hidden />
      Saved as version <span className="font-mono">{hash.slice(0, 7)}</span>
      {description && <span className="truncate">· {description}</span>}
    </p>
  );
}

const statusNotes: Record<string, string> = {
  cancelled: "Stopped: the changes of this reply were undone.",
  stopped: "The agent stopped before finishing.",
  error: "This reply failed.",
};

export function AssistantMessage({
  message,
  busy,
  highlighted = false,
  onRegenerate,
  onSwitch,
  onOpenFile,
}: {
  message: ChatMessage;
  busy: boolean;
  highlighted?: boolean;
  onRegenerate: (id: string) => void;
  onSwitch: (id: string) => void;
  onOpenFile: (path: string) => void;
}) {
  const calls = Array.isArray(message.tool_calls)
    ? message.tool_calls.map(toolCallFromRecord).filter((c): c is ToolCall => c !== null)
    : [];
  const usage: UsageTotals | null | undefined = message.usage;
  const note = statusNotes[message.status];
  return (
    <div
      className={cn("group mr-4 transition-shadow", highlighted && HIGHLIGHT)}
      data-testid="chat-message"
      data-role="assistant"
      data-message-id={message.id}
      data-highlighted={highlighted || undefined}
    >
      {calls.length > 0 && <ToolList calls={calls} onOpenFile={onOpenFile} />}
      {message.content && <Markdown text={message.content} />}
      {note && <p className="text-xs text-muted-foreground italic">{note}</p>}
      {message.version && (
        <VersionLine hash={message.version.commit_hash} description={message.version.description} />
      )}
      <div className="flex items-center gap-0.5 opacity-70 group-hover:opacity-100">
        <BranchSwitcher ids={message.sibling_ids ?? []} current={message.id} onSwitch={onSwitch} />
        <CopyButton text={message.content} />
        <SimpleTooltip label="Regenerate (a new branch)">
          <Button
            variant="ghost"
            size="icon-sm"
            className="size-6"
            aria-label="Regenerate reply"
            disabled={busy}
            onClick={() => onRegenerate(message.id)}
          >
            <RefreshCw />
          </Button>
        </SimpleTooltip>
        <span className="ml-1">
          <UsageLine
            tokens={usage?.tokens ?? message.token_count ?? 0}
            cost={usage?.cost_usd ?? 0}
          />
        </span>
      </div>
    </div>
  );
}

/** The reply being streamed: text, tool cards in order, iteration progress. */
export function LiveAssistant({
  turn,
  onOpenFile,
}: {
  turn: TurnState;
  onOpenFile: (path: string) => void;
}) {
  const streaming = turn.status === "streaming";
  return (
    <div
      className="mr-4"
      data-testid="chat-message"
      data-role="assistant"
      data-message-id={turn.assistantMessageId ?? undefined}
      data-streaming={streaming}
    >
      {turn.restoredVersion && (
        <p className="text-xs text-muted-foreground italic" data-testid="turn-restored">
          The code was put back to version {turn.restoredVersion.slice(0, 7)} before this attempt;
          the replaced one stays in the version history.
        </p>
      )}
      {turn.items.map((item, i) =>
        item.kind === "text" ? (
          <Markdown key={`t${i}`} text={item.text} />
        ) : (
          <ToolCallCard key={item.call.id} call={item.call} onOpenFile={onOpenFile} />
        ),
      )}
      {streaming && (
        <p
          role="status"
          className="flex items-center gap-1.5 text-xs text-muted-foreground"
          data-testid="chat-progress"
        >
          <Loader2 className="size-3 animate-spin" aria-hidden />
          {turn.iteration > 0
            ? `Step ${turn.iteration}${turn.maxIterations ? ` of up to ${turn.maxIterations}` : ""}${turn.fixAttempt > 0 ? ` · fixing errors (attempt ${turn.fixAttempt})` : ""}`
            : "Thinking…"}
        </p>
      )}
      {turn.error && (
        <div
          role="alert"
          className={cn(
            "mt-1 flex gap-2 rounded-md border border-destructive/40 bg-destructive/5 p-2 text-xs text-destructive",
          )}
        >
          <TriangleAlert className="size-4 shrink-0" aria-hidden />
          <div className="min-w-0">
            <Markdown text={turn.error.message} />
          </div>
        </div>
      )}
      {turn.stopReason && turn.finalStatus === "stopped" && (
        <p className="text-xs text-muted-foreground italic">{turn.stopReason}</p>
      )}
      <UsageLine
        tokens={turn.usage.inputTokens + turn.usage.outputTokens}
        cost={turn.usage.costUsd}
      />
    </div>
  );
}
