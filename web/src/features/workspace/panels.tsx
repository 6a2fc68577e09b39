import { Code2, Globe, MessageSquare, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import type { Project } from "@/api/types";
import { cn } from "@/lib/utils";

function PanelHeader({ icon: Icon, title, children }: { icon: LucideIcon; title: string; children?: ReactNode }) {
  return (
    <div className="flex h-10 shrink-0 items-center gap-2 border-b px-3 text-sm font-medium">
      <Icon className="size-4 text-muted-foreground" aria-hidden />
      <h2>{title}</h2>
      <div className="ml-auto flex items-center gap-1">{children}</div>
    </div>
  );
}

function PanelEmpty({ icon: Icon, title, children }: { icon: LucideIcon; title: string; children: ReactNode }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center">
      <span className="grid size-12 place-items-center rounded-2xl bg-muted text-muted-foreground">
        <Icon className="size-6" aria-hidden />
      </span>
      <div className="grid max-w-xs gap-1">
        <p className="font-medium">{title}</p>
        <p className="text-sm text-muted-foreground">{children}</p>
      </div>
    </div>
  );
}

const panelClass = "flex h-full min-h-0 flex-col bg-background";

export function ChatPanel({ project, className }: { project: Project; className?: string }) {
  return (
    <section data-testid="chat-panel" aria-label="Chat" className={cn(panelClass, className)}>
      <PanelHeader icon={MessageSquare} title="Chat" />
      <PanelEmpty icon={MessageSquare} title="Describe what to build">
        Tell the agent what {project.name} should do. It edits the code and the preview updates as it works.
      </PanelEmpty>
      <div className="border-t p-3">
        <textarea
          aria-label="Message"
          disabled
          placeholder="Chat arrives in a coming release…"
          className="h-20 w-full resize-none rounded-lg border bg-muted/30 p-3 text-sm placeholder:text-muted-foreground disabled:cursor-not-allowed"
        />
      </div>
    </section>
  );
}

export function EditorPanel({ className }: { className?: string }) {
  return (
    <section data-testid="editor-panel" aria-label="Editor" className={cn(panelClass, className)}>
      <PanelHeader icon={Code2} title="Code" />
      <PanelEmpty icon={Code2} title="No file open">
        Files appear here once the project's workspace is ready. Pick one from the tree to edit it.
      </PanelEmpty>
    </section>
  );
}

export function PreviewPanel({ className }: { className?: string }) {
  return (
    <section data-testid="preview-panel" aria-label="Preview" className={cn(panelClass, className)}>
      <PanelHeader icon={Globe} title="Preview" />
      <div className="flex flex-1 flex-col bg-muted/30 p-3">
        <div className="flex flex-1 flex-col overflow-hidden rounded-lg border bg-background shadow-xs">
          <div className="flex h-8 items-center gap-1.5 border-b px-3" aria-hidden>
            <span className="size-2.5 rounded-full bg-red-400/70" />
            <span className="size-2.5 rounded-full bg-amber-400/70" />
            <span className="size-2.5 rounded-full bg-emerald-400/70" />
          </div>
          <PanelEmpty icon={Globe} title="Preview not running">
            The live preview starts with the project's sandbox.
          </PanelEmpty>
        </div>
      </div>
    </section>
  );
}
