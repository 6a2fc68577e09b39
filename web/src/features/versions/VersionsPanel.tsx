import { History } from "lucide-react";
import { useState } from "react";
import type { Project } from "@/api/types";
import type { WorkspaceBus } from "@/features/workspace/bus";
import type { Version } from "./api";
import { BranchesDialog } from "./BranchesDialog";
import { BranchMenu } from "./BranchMenu";
import { changesOf, comparison } from "./diffRequest";
import { RestoreDialog } from "./RestoreDialog";
import { SaveVersionForm } from "./SaveVersionForm";
import { useVersionActions } from "./useVersionActions";
import { useVersionTimeline } from "./useVersionTimeline";
import { VersionDiffDialog, type DiffRequest } from "./VersionDiffDialog";
import { VersionList } from "./VersionList";

export interface VersionsPanelProps {
  project: Project;
  bus: WorkspaceBus;
}

/** The project's versions, newest first: compare, restore, save, switch branches. */
export function VersionsPanel({ project, bus }: VersionsPanelProps) {
  const projectId = project.id;
  const { timeline, versions, pending } = useVersionTimeline(projectId, bus);
  const actions = useVersionActions(projectId, bus);
  const [diff, setDiff] = useState<DiffRequest | null>(null);
  const [restoreTarget, setRestoreTarget] = useState<Version | null>(null);
  const [messageTarget, setMessageTarget] = useState<Version | null>(null);
  const [branchesShown, setBranchesShown] = useState(false);
  const compare = comparison(versions, actions.selected);

  return (
    <section
      data-testid="versions-panel"
      aria-label="Versions"
      className="flex h-full min-h-0 flex-col bg-background"
    >
      <div className="flex h-10 shrink-0 items-center gap-1 border-b px-3 text-sm font-medium">
        <History className="size-4 text-muted-foreground" aria-hidden />
        <h2 className="mr-auto">Versions</h2>
        <BranchMenu projectId={projectId} onManage={() => setBranchesShown(true)} />
      </div>
      <SaveVersionForm
        projectId={projectId}
        pending={pending}
        onCompare={compare ? () => setDiff(compare) : null}
      />
      <VersionList
        timeline={timeline}
        versions={versions}
        selected={actions.selected}
        onSelect={actions.select}
        onShowChanges={(v) => setDiff(changesOf(v))}
        onRestore={setRestoreTarget}
        onShowMessage={(messageId) => bus.publish({ type: "chat:show-message", messageId })}
        onRestoreToMessage={setMessageTarget}
      />
      <VersionDiffDialog projectId={projectId} request={diff} onClose={() => setDiff(null)} />
      <RestoreDialog
        toMessage
        version={messageTarget}
        pending={pending}
        onClose={() => setMessageTarget(null)}
        onConfirm={actions.restoreMessage}
      />
      <BranchesDialog
        projectId={projectId}
        open={branchesShown}
        onOpenChange={setBranchesShown}
        onMerged={actions.merged}
        onCompare={setDiff}
      />
      <RestoreDialog
        toMessage={false}
        version={restoreTarget}
        pending={pending}
        onClose={() => setRestoreTarget(null)}
        onConfirm={actions.restore}
      />
    </section>
  );
}
