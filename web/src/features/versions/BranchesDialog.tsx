import { GitBranch, GitCompare, GitMerge, Loader2, Trash2, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { useBranches, useDeleteBranch, useMergeBranch, type Branch, type Version } from "./api";
import { isUnmergedRefusal, mergeSummary, type MergeConflictReport } from "./merge";
import type { DiffRequest } from "./VersionDiffDialog";

export interface BranchesDialogProps {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** A merge made this version: open editors reload its files. */
  onMerged: (version: Version | null) => void;
  onCompare: (request: DiffRequest) => void;
}

function ConflictReport({
  report,
  into,
  onCompare,
  onDismiss,
}: {
  report: MergeConflictReport;
  into: string;
  onCompare: (() => void) | null;
  onDismiss: () => void;
}) {
  const n = report.files.length;
  return (
    <div
      role="alert"
      data-testid="merge-conflict"
      className="grid gap-2 rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm"
    >
      <p className="flex items-start gap-2 font-medium text-destructive">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        {report.source} and {into} both changed{" "}
        {n === 0 ? "the same files" : n === 1 ? "the same file" : `the same ${n} files`}: not
        merged.
      </p>
      {n > 0 && (
        <ul className="grid gap-0.5 pl-6 font-mono text-xs" aria-label="Conflicting files">
          {report.files.map((f) => (
            <li key={f} data-testid="merge-conflict-file" className="truncate" title={f}>
              {f}
            </li>
          ))}
        </ul>
      )}
      <p className="text-xs text-muted-foreground">
        Nothing was changed: the merge was stopped and your files are as they were. To merge, make
        these files agree (edit them on one of the branches and save a version), then merge again.
      </p>
      <div className="flex gap-2">
        {onCompare && (
          <Button size="sm" variant="outline" className="h-7" onClick={onCompare}>
            <GitCompare className="size-3.5" />
            Compare the branches
          </Button>
        )}
        <Button size="sm" variant="ghost" className="h-7" onClick={onDismiss}>
          Dismiss
        </Button>
      </div>
    </div>
  );
}

/** The project's branches: merge one into the current branch, or delete one. */
export function BranchesDialog({
  projectId,
  open,
  onOpenChange,
  onMerged,
  onCompare,
}: BranchesDialogProps) {
  const branches = useBranches(projectId);
  const merge = useMergeBranch(projectId);
  const remove = useDeleteBranch(projectId);
  const [conflict, setConflict] = useState<MergeConflictReport | null>(null);
  const [deleting, setDeleting] = useState<{ name: string; force: boolean } | null>(null);
  const list = branches.data?.branches ?? [];
  const current = list.find((b) => b.current);
  const into = branches.data?.current ?? "the current version";

  const mergeBranch = (source: Branch) => {
    setConflict(null);
    merge.mutate(source.name, {
      onSuccess: (outcome) => {
        if (outcome.kind === "conflict") {
          setConflict(outcome);
          return;
        }
        toast.success(mergeSummary(outcome.result, source.name, into));
        onMerged(outcome.result.version);
      },
      onError: (e) => toast.error(`Could not merge ${source.name}: ${errorMessage(e)}`),
    });
  };

  const deleteBranch = (name: string, force: boolean) => {
    remove.mutate(
      { name, force },
      {
        onSuccess: () => {
          toast.success(`Deleted branch ${name}`);
          if (conflict?.source === name) setConflict(null);
        },
        onError: (e) => {
          if (!force && isUnmergedRefusal(e)) setDeleting({ name, force: true });
          else toast.error(`Could not delete ${name}: ${errorMessage(e)}`);
        },
      },
    );
  };

  const conflictSource = conflict ? list.find((b) => b.name === conflict.source) : undefined;
  const compare =
    conflict && current && conflictSource
      ? () =>
          onCompare({
            from: current.head,
            to: conflictSource.head,
            title: `${current.name} and ${conflictSource.name}`,
          })
      : null;

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) setConflict(null);
        onOpenChange(o);
      }}
    >
      <DialogContent data-testid="branches-dialog">
        <DialogHeader>
          <DialogTitle>Branches</DialogTitle>
          <DialogDescription>
            Merging a branch brings its versions into <strong>{into}</strong> as a new version; your
            unsaved changes are saved as a version first.
          </DialogDescription>
        </DialogHeader>
        {branches.isError && (
          <p className="text-sm text-destructive">{errorMessage(branches.error)}</p>
        )}
        <ul className="grid divide-y rounded-md border text-sm" aria-label="Branches">
          {list.map((b) => {
            const merging = merge.isPending && merge.variables === b.name;
            return (
              <li
                key={b.name}
                data-testid="branch-row"
                data-name={b.name}
                className="flex items-center gap-2 px-3 py-2"
              >
                <GitBranch className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                <span className="min-w-0 flex-1 truncate font-medium" title={b.name}>
                  {b.name}
                </span>
                <code className="text-xs text-muted-foreground">{b.head.slice(0, 7)}</code>
                {b.current ? (
                  <span className="rounded bg-emerald-500/15 px-1.5 text-xs text-emerald-700 dark:text-emerald-400">
                    current
                  </span>
                ) : (
                  <>
                    <Button
                      size="sm"
                      variant="outline"
                      className="h-7 px-2"
                      data-testid="branch-merge"
                      disabled={merge.isPending || remove.isPending}
                      onClick={() => mergeBranch(b)}
                    >
                      {merging ? (
                        <Loader2 className="size-3.5 animate-spin" />
                      ) : (
                        <GitMerge className="size-3.5" />
                      )}
                      Merge into {into}
                    </Button>
                    <Button
                      size="icon-sm"
                      variant="ghost"
                      className="size-7 text-muted-foreground hover:text-destructive"
                      data-testid="branch-delete"
                      aria-label={`Delete branch ${b.name}`}
                      title="Delete branch"
                      disabled={merge.isPending || remove.isPending}
                      onClick={() => setDeleting({ name: b.name, force: false })}
                    >
                      <Trash2 className="size-3.5" />
                    </Button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
        {list.length < 2 && branches.isSuccess && (
          <p className="text-xs text-muted-foreground">
            Only one branch: create another from the branch menu to try changes apart.
          </p>
        )}
        {conflict && (
          <ConflictReport
            report={conflict}
            into={into}
            onCompare={compare}
            onDismiss={() => setConflict(null)}
          />
        )}
      </DialogContent>
      <AlertDialog open={deleting !== null} onOpenChange={(o) => !o && setDeleting(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>
              {deleting?.force
                ? `${deleting.name} has versions that are not merged`
                : `Delete branch ${deleting?.name ?? ""}?`}
            </AlertDialogTitle>
            <AlertDialogDescription>
              {deleting?.force
                ? `Some versions of ${deleting.name} are in no other branch: deleting it loses them for good. Merge it into ${into} first to keep them.`
                : "The branch goes away. Its versions that are merged into another branch stay there; the files you have open are not changed."}
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              className={
                deleting?.force
                  ? "bg-destructive text-destructive-foreground hover:bg-destructive/90"
                  : undefined
              }
              onClick={() => {
                if (deleting) deleteBranch(deleting.name, deleting.force);
              }}
            >
              {deleting?.force ? "Delete anyway" : "Delete branch"}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Dialog>
  );
}
