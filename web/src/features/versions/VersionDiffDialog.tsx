import { FileDiff as FileDiffIcon } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { errorMessage } from "@/api/errors";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Spinner } from "@/features/editor/Spinner";
import { useMonacoTheme } from "@/features/editor/theme";
import { cn } from "@/lib/utils";
import { useVersionDiff, type FileDiff } from "./api";

const DiffView = lazy(() => import("@/features/editor/monaco/DiffView"));

export interface DiffRequest {
  from: string;
  to: string;
  title: string;
}

const STATUS_LABEL: Record<FileDiff["status"], string> = {
  A: "added",
  M: "modified",
  D: "deleted",
  R: "renamed",
  C: "copied",
  T: "type changed",
};

/** Two versions side by side (Monaco's diff editor), one changed file at a time. */
export function VersionDiffDialog({
  projectId,
  request,
  onClose,
}: {
  projectId: string;
  request: DiffRequest | null;
  onClose: () => void;
}) {
  const diff = useVersionDiff(projectId, request?.from ?? null, request?.to ?? null);
  const theme = useMonacoTheme();
  const [picked, setPicked] = useState<string | null>(null);
  const files = diff.data?.files ?? [];
  const current = files.find((f) => f.path === picked) ?? files[0];

  return (
    <Dialog
      open={request !== null}
      onOpenChange={(open) => {
        if (!open) {
          setPicked(null);
          onClose();
        }
      }}
    >
      <DialogContent
        className="flex h-[85vh] max-w-[95vw] flex-col gap-3 sm:max-w-[95vw]"
        data-testid="version-diff"
      >
        <DialogHeader>
          <DialogTitle>{request?.title ?? "Changes"}</DialogTitle>
          <DialogDescription>
            {request ? `${request.from.slice(0, 7)} → ${request.to.slice(0, 7)}` : ""} ·{" "}
            {files.length} file{files.length === 1 ? "" : "s"} changed
          </DialogDescription>
        </DialogHeader>
        {diff.isPending ? (
          <Spinner label="Comparing versions…" />
        ) : diff.isError ? (
          <p className="text-sm text-destructive">{errorMessage(diff.error)}</p>
        ) : files.length === 0 ? (
          <p className="text-sm text-muted-foreground">These versions have the same files.</p>
        ) : (
          <div className="flex min-h-0 flex-1 gap-3">
            <ul
              className="w-60 shrink-0 overflow-auto rounded-md border py-1 text-sm"
              aria-label="Changed files"
            >
              {files.map((f) => (
                <li key={f.path}>
                  <button
                    type="button"
                    data-testid="diff-file"
                    aria-current={f.path === current?.path}
                    onClick={() => setPicked(f.path)}
                    className={cn(
                      "flex w-full items-center gap-2 px-2 py-1 text-left hover:bg-accent/60",
                      f.path === current?.path && "bg-accent",
                    )}
                  >
                    <FileDiffIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                    <span className="min-w-0 flex-1 truncate" title={f.path}>
                      {f.path}
                    </span>
                    <span className="shrink-0 text-xs tabular-nums">
                      <span className="text-emerald-600">+{f.additions}</span>{" "}
                      <span className="text-red-600">−{f.deletions}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            <div className="flex min-w-0 flex-1 flex-col overflow-hidden rounded-md border">
              {current && (
                <>
                  <p className="border-b px-3 py-1.5 text-xs text-muted-foreground">
                    {current.old_path && current.old_path !== current.path
                      ? `${current.old_path} → `
                      : ""}
                    {current.path} · {STATUS_LABEL[current.status]}
                  </p>
                  <div className="min-h-0 flex-1">
                    {current.binary || (current.old_text === null && current.new_text === null) ? (
                      <p className="p-4 text-sm text-muted-foreground">
                        Binary or too large to show.
                      </p>
                    ) : (
                      <Suspense fallback={<Spinner label="Loading diff…" />}>
                        <DiffView
                          key={`${request?.from ?? ""}-${request?.to ?? ""}-${current.path}`}
                          path={current.path}
                          scope={`${request?.from ?? ""}-${request?.to ?? ""}`}
                          original={current.old_text ?? ""}
                          modified={current.new_text ?? ""}
                          theme={theme}
                        />
                      </Suspense>
                    )}
                  </div>
                </>
              )}
            </div>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
