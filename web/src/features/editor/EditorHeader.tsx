import { Code2, FileSearch, Files, Search, Settings2 } from "lucide-react";
import { ToolButton } from "./ToolButton";

export type Sidebar = "files" | "search";

export interface EditorHeaderProps {
  sidebar: Sidebar | null;
  onSidebarChange: (sidebar: Sidebar | null) => void;
  onQuickOpen: () => void;
  onSettings: () => void;
}

/** The editor's title bar: the files / search sidebar toggles, go to file, settings. */
export function EditorHeader({
  sidebar,
  onSidebarChange,
  onQuickOpen,
  onSettings,
}: EditorHeaderProps) {
  const sidebarButton = (kind: Sidebar, label: string, Icon: typeof Files) => (
    <ToolButton
      label={label}
      className={sidebar === kind ? "bg-accent" : undefined}
      aria-pressed={sidebar === kind}
      title={label}
      onClick={() => onSidebarChange(sidebar === kind ? null : kind)}
    >
      <Icon className="size-4" />
    </ToolButton>
  );
  return (
    <div className="flex h-10 shrink-0 items-center gap-1 border-b px-3 text-sm font-medium">
      <Code2 className="size-4 text-muted-foreground" aria-hidden />
      <h2 className="mr-auto">Code</h2>
      {sidebarButton("files", "Show files", Files)}
      {sidebarButton("search", "Search in files", Search)}
      <ToolButton label="Go to file" title="Go to file (Ctrl+P)" onClick={onQuickOpen}>
        <FileSearch className="size-4" />
      </ToolButton>
      <ToolButton label="Editor settings" title="Editor settings" onClick={onSettings}>
        <Settings2 className="size-4" />
      </ToolButton>
    </div>
  );
}
