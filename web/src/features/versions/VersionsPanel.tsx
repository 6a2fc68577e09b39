import { History } from "lucide-react";
import type { Project } from "@/api/types";
import type { WorkspaceBus } from "@/features/workspace/bus";

export interface VersionsPanelProps {
  project: Project;
  bus: WorkspaceBus;
}

/** The project's version timeline. (Minimal placeholder while it is built.) */
export function VersionsPanel({ project }: VersionsPanelProps) {
  return (
    <section data-testid="versions-panel" aria-label="Versions" className="flex h-full min-h-0 flex-col bg-background">
      <div className="flex h-10 shrink-0 items-center gap-2 border-b px-3 text-sm font-medium">
        <History className="size-4 text-muted-foreground" aria-hidden />
        <h2>Versions</h2>
      </div>
      <p className="p-6 text-sm text-muted-foreground">Versions of {project.name} appear here.</p>
    </section>
  );
}
