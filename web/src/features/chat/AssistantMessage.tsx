import { RefreshCw } from "lucide-react";
import { cn } from "@/lib/utils";
import type { ChatMessage, UsageTotals } from "./api";
import { Markdown } from "./Markdown";
import {
  BranchSwitcher,
  CopyButton,
  HIGHLIGHT,
  MessageButton,
  UsageLine,
  VersionLine,
} from "./MessageParts";
import { toolCallFromRecord, type ToolCall } from "./stream";
import { ToolCallCard } from "./ToolCallCard";

const statusNotes: Record<string, string> = {
  cancelled: "Stopped: the changes of this reply were undone.",
  stopped: "The agent stopped before finishing.",
  error: "This reply failed.",
};

export interface AssistantMessageProps {
  message: ChatMessage;
  busy: boolean;
  highlighted?: boolean;
  onRegenerate: (id: string) => void;
  onSwitch: (id: string) => void;
  onOpenFile: (path: string) => void;
}

/** A saved reply: its tool calls, text, the version it made, and its usage. */
export function AssistantMessage({
  message,
  busy,
  highlighted = false,
  onRegenerate,
  onSwitch,
  onOpenFile,
}: AssistantMessageProps) {
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
      {calls.map((call) => (
        <ToolCallCard key={call.id} call={call} onOpenFile={onOpenFile} />
      ))}
      {message.content && <Markdown text={message.content} />}
      {note && <p className="text-xs text-muted-foreground italic">{note}</p>}
      {message.version && (
        <VersionLine hash={message.version.commit_hash} description={message.version.description} />
      )}
      <div className="flex items-center gap-0.5 opacity-70 group-hover:opacity-100">
        <BranchSwitcher ids={message.sibling_ids ?? []} current={message.id} onSwitch={onSwitch} />
        <CopyButton text={message.content} />
        <MessageButton
          label="Regenerate reply"
          tooltip="Regenerate (a new branch)"
          disabled={busy}
          onClick={() => onRegenerate(message.id)}
        >
          <RefreshCw />
        </MessageButton>
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
