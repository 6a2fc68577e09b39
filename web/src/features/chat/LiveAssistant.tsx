import { Loader2, TriangleAlert } from "lucide-react";
import { Markdown } from "./Markdown";
import { UsageLine } from "./MessageParts";
import type { TurnState } from "./stream";
import { ToolCallCard } from "./ToolCallCard";

/** "Step 2 of up to 8 · fixing errors (attempt 1)", or "Thinking…" before the first step. */
function progress(turn: TurnState): string {
  if (turn.iteration === 0) return "Thinking…";
  const most = turn.maxIterations ? ` of up to ${turn.maxIterations}` : "";
  const fixing = turn.fixAttempt > 0 ? ` · fixing errors (attempt ${turn.fixAttempt})` : "";
  return `Step ${turn.iteration}${most}${fixing}`;
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
          {progress(turn)}
        </p>
      )}
      {turn.error && (
        <div
          role="alert"
          className="mt-1 flex gap-2 rounded-md border border-destructive/40 bg-destructive/5 p-2 text-xs text-destructive"
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
