import { GitCompare, MessageSquare, MessageSquareReply, RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { Version } from "./api";

export interface VersionRowActionsProps {
  version: Version;
  latest: boolean;
  expanded: boolean;
  onExpand: () => void;
  onShowChanges: () => void;
  onRestore: () => void;
  onShowMessage: (messageId: string) => void;
  onRestoreToMessage: () => void;
}

/** A version's files toggle, its chat message link, and its Changes / Restore buttons. */
export function VersionRowActions({
  version,
  latest,
  expanded,
  onExpand,
  onShowChanges,
  onRestore,
  onShowMessage,
  onRestoreToMessage,
}: VersionRowActionsProps) {
  const messageId = version.message_id ?? null;
  return (
    <div className="flex flex-wrap items-center gap-1 pl-8">
      <button
        type="button"
        aria-expanded={expanded}
        onClick={onExpand}
        className="text-xs text-muted-foreground hover:text-foreground hover:underline"
      >
        {version.files_changed.length} file{version.files_changed.length === 1 ? "" : "s"} changed
      </button>
      {messageId && (
        <button
          type="button"
          data-testid="version-message-link"
          title="Show the chat message that made this version"
          onClick={() => onShowMessage(messageId)}
          className="ml-1 flex items-center gap-1 rounded bg-primary/10 px-1.5 text-xs text-primary hover:bg-primary/20"
        >
          <MessageSquare className="size-3" aria-hidden />
          chat message
        </button>
      )}
      <span className="ml-auto flex flex-wrap justify-end gap-1">
        <Button variant="ghost" size="sm" className="h-6 px-2 text-xs" onClick={onShowChanges}>
          <GitCompare className="size-3.5" />
          Changes
        </Button>
        {!latest && (
          <Button variant="ghost" size="sm" className="h-6 px-2 text-xs" onClick={onRestore}>
            <RotateCcw className="size-3.5" />
            Restore
          </Button>
        )}
        {version.author === "ai" && messageId && (
          <Button
            variant="ghost"
            size="sm"
            className="h-6 px-2 text-xs"
            data-testid="version-restore-to-message"
            title="Go back to the code of this message; the chat continues from it"
            onClick={onRestoreToMessage}
          >
            <MessageSquareReply className="size-3.5" />
            Restore to this message
          </Button>
        )}
      </span>
    </div>
  );
}
