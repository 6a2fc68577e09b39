import { Loader2 } from "lucide-react";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { RetryError } from "@/components/ui/retry-error";
import type { useTimeline, Version } from "./api";
import { VersionRow } from "./VersionRow";

export interface VersionListProps {
  timeline: ReturnType<typeof useTimeline>;
  versions: Version[];
  selected: string[];
  onSelect: (hash: string, on: boolean) => void;
  onShowChanges: (version: Version) => void;
  onRestore: (version: Version) => void;
  onShowMessage: (messageId: string) => void;
  onRestoreToMessage: (version: Version) => void;
}

/** The version history, newest first, loaded a page at a time. */
export function VersionList({ timeline, versions, selected, ...on }: VersionListProps) {
  return (
    <div className="min-h-0 flex-1 overflow-auto">
      {timeline.isPending ? (
        <p className="flex items-center gap-2 p-4 text-sm text-muted-foreground" role="status">
          <Loader2 className="size-4 animate-spin" /> Loading versions…
        </p>
      ) : timeline.isError ? (
        <div className="grid gap-2 p-4 text-sm">
          <RetryError
            message={errorMessage(timeline.error)}
            onRetry={() => void timeline.refetch()}
          />
        </div>
      ) : versions.length === 0 ? (
        <p className="p-4 text-sm text-muted-foreground">
          No versions yet. Each AI turn and each saved change becomes one.
        </p>
      ) : (
        <ol aria-label="Version history">
          {versions.map((v, i) => (
            <VersionRow
              key={v.hash}
              version={v}
              latest={i === 0}
              selected={selected.includes(v.hash)}
              onSelect={(checked) => on.onSelect(v.hash, checked)}
              onShowChanges={() => on.onShowChanges(v)}
              onRestore={() => on.onRestore(v)}
              onShowMessage={on.onShowMessage}
              onRestoreToMessage={() => on.onRestoreToMessage(v)}
            />
          ))}
        </ol>
      )}
      {timeline.hasNextPage && (
        <div className="p-3">
          <Button
            size="sm"
            variant="outline"
            className="w-full"
            disabled={timeline.isFetchingNextPage}
            onClick={() => void timeline.fetchNextPage()}
          >
            {timeline.isFetchingNextPage ? "Loading…" : "Older versions"}
          </Button>
        </div>
      )}
    </div>
  );
}
