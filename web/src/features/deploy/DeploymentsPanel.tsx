import { Rocket } from "lucide-react";
import { useState } from "react";
import { errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import { ErrorMessage } from "@/components/ui/form-field";
import { Skeleton } from "@/components/ui/skeleton";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { shortSha, useDeployHistory, useDeployStatus } from "./api";
import { BuildFailure } from "./BuildFailure";
import { BuildLog } from "./BuildLog";
import { DeploymentHistory } from "./DeploymentHistory";
import { LiveSummary } from "./LiveSummary";
import { StatusBadge } from "./StatusBadge";

/** Where the app is published, each publish's build log and errors, and rollbacks. */
export function DeploymentsPanel({ project, bus }: { project: Project; bus: WorkspaceBus }) {
  const status = useDeployStatus(project.id);
  const history = useDeployHistory(project.id);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // A new publish shows its own log, whatever was picked before.
  const latestId = status.data?.latest?.id ?? null;
  const [shownLatest, setShownLatest] = useState(latestId);
  if (latestId !== shownLatest) {
    setShownLatest(latestId);
    setSelectedId(null);
  }

  if (status.isPending || history.isPending) {
    return (
      <div className="grid gap-2 p-3" data-testid="deployments-panel">
        <Skeleton className="h-16" />
        <Skeleton className="h-40" />
      </div>
    );
  }
  if (status.isError || history.isError) {
    return (
      <div className="p-3" data-testid="deployments-panel">
        <ErrorMessage message={errorMessage(status.error ?? history.error)} />
      </div>
    );
  }
  const deployments = history.data;
  const latest = status.data.latest;
  // The status answer is the freshest view of the newest deployment.
  const pick = (id: string | null) =>
    id === latest?.id ? latest : deployments.find((d) => d.id === id);
  const selected = pick(selectedId) ?? latest ?? deployments[0] ?? null;

  return (
    <div className="h-full overflow-y-auto" data-testid="deployments-panel">
      <div className="grid gap-3 p-3">
        <LiveSummary status={status.data} />
        {selected ? (
          <>
            <div className="flex items-center gap-2 text-sm" data-testid="deploy-selected">
              <span className="font-medium">Version {shortSha(selected.commit_sha)}</span>
              <StatusBadge status={selected.status} />
            </div>
            {selected.status === "error" && <BuildFailure deployment={selected} />}
            <BuildLog projectId={project.id} deployment={selected} bus={bus} />
            <DeploymentHistory
              projectId={project.id}
              deployments={deployments}
              liveId={status.data.live?.id ?? null}
              selectedId={selected.id}
              onSelect={setSelectedId}
            />
          </>
        ) : (
          <div className="grid justify-items-center gap-2 rounded-lg border border-dashed p-6 text-center">
            <Rocket className="size-6 text-muted-foreground" aria-hidden />
            <p className="text-sm font-medium">Not published yet</p>
            <p className="text-xs text-muted-foreground">
              Publish (at the top right) builds the current version and serves it at a public
              address. Each publish shows up here with its build log.
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
