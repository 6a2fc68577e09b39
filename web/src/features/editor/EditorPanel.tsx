import { Code2 } from "lucide-react";
import type { Project } from "@/api/types";
import type { WorkspaceBus } from "@/features/workspace/bus";

export interface EditorPanelProps {
  project: Project;
  bus: WorkspaceBus;
}

/** The code editor: file tree, tabs and Monaco. (Minimal placeholder while it is built.) */
export function EditorPanel({ project }: EditorPanelProps) {
  return (
    <section data-testid="editor-panel" aria-label="Editor" className="flex h-full min-h-0 flex-col bg-background">
      <div className="flex h-10 shrink-0 items-center gap-2 border-b px-3 text-sm font-medium">
        <Code2 className="size-4 text-muted-foreground" aria-hidden />
        <h2>Code</h2>
      </div>
      <p className="p-6 text-sm text-muted-foreground">Files of {project.name} appear here.</p>
    </section>
  );
}
