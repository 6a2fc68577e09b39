import { Loader2, Undo2 } from "lucide-react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { Deployment } from "@/api/types";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useCurrentUser } from "@/features/auth/api";
import { cn, formatRelative } from "@/lib/utils";
import { shortSha, useRollback } from "./api";
import { StatusBadge } from "./StatusBadge";

interface Props {
  projectId: string;
  deployments: Deployment[];
  liveId: string | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** Every publish, newest first; an earlier ready one can be made live again in one click. */
export function DeploymentHistory({ projectId, deployments, liveId, selectedId, onSelect }: Props) {
  const rollback = useRollback(projectId);
  // A project has one owner, the only person who can publish it.
  const user = useCurrentUser();
  const who = user.name ?? user.email;

  const rollBack = (deployment: Deployment) =>
    rollback.mutate(deployment.id, {
      onSuccess: () => toast.success(`Version ${shortSha(deployment.commit_sha)} is live again`),
      onError: (e) => toast.error(`Could not roll back: ${errorMessage(e)}`),
    });

  return (
    <section className="grid gap-1.5" aria-label="Deployment history">
      <h3 className="text-xs font-medium text-muted-foreground">History</h3>
      <ul className="divide-y rounded-lg border">
        {deployments.map((d) => {
          const live = d.id === liveId;
          const pending = rollback.isPending && rollback.variables === d.id;
          return (
            <li
              key={d.id}
              data-testid="deployment-row"
              data-live={live}
              className={cn(
                "flex items-center gap-2 px-2 py-1.5",
                d.id === selectedId && "bg-accent/60",
              )}
            >
              <button
                type="button"
                className="flex min-w-0 flex-1 flex-wrap items-center gap-x-2 gap-y-1 text-left"
                aria-label={`Show the log of version ${shortSha(d.commit_sha)}`}
                aria-pressed={d.id === selectedId}
                onClick={() => onSelect(d.id)}
              >
                <StatusBadge status={d.status} />
                <span className="font-mono text-xs" data-testid="deployment-sha">
                  {shortSha(d.commit_sha)}
                </span>
                <span className="truncate text-xs text-muted-foreground">
                  {formatRelative(d.created_at)} · {who}
                </span>
              </button>
              {live ? (
                <Badge className="bg-emerald-600 text-white">Live</Badge>
              ) : d.status === "ready" ? (
                <Button
                  size="sm"
                  className="h-7 px-2"
                  variant="outline"
                  disabled={rollback.isPending}
                  onClick={() => rollBack(d)}
                >
                  {pending ? <Loader2 className="animate-spin" /> : <Undo2 />} Rollback
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
