import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type KeyboardEvent } from "react";
import type { Project } from "@/api/types";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { useEditorSettings, useFileTree } from "./api";
import { EditorContent } from "./EditorContent";
import { EditorHeader, type Sidebar } from "./EditorHeader";
import { EditorSettingsDialog } from "./EditorSettingsDialog";
import { EditorSidebar } from "./EditorSidebar";
import { EditorStatusBar } from "./EditorStatusBar";
import { Breadcrumbs, EditorTabs } from "./EditorTabs";
import { hasUnsavedChanges } from "./lib/buffers";
import { listFiles, type TreeNode } from "./lib/tree";
import { QuickOpen } from "./QuickOpen";
import { useMonacoTheme } from "./theme";
import { useEditorController } from "./useEditorController";
import { useTreeExpansion } from "./useTreeExpansion";

export interface EditorPanelProps {
  project: Project;
  bus: WorkspaceBus;
}

function codeFilesOf(node: TreeNode): { path: string; size: number }[] {
  if (node.type === "file") return [{ path: node.path, size: node.size }];
  return (node.children ?? []).flatMap(codeFilesOf);
}

/** The code editor: file tree or search, tabs, breadcrumbs, Monaco and a status bar. */
export function EditorPanel({ project, bus }: EditorPanelProps) {
  const projectId = project.id;
  const queryClient = useQueryClient();
  const settings = useEditorSettings();
  const theme = useMonacoTheme();
  const tree = useFileTree(projectId);
  const { state, actions, reveal } = useEditorController(projectId, bus, settings);
  const expansion = useTreeExpansion(state.active);
  const [sidebar, setSidebar] = useState<Sidebar | null>("files");
  const [quickOpenShown, setQuickOpenShown] = useState(false);
  const [settingsShown, setSettingsShown] = useState(false);
  const [cursor, setCursor] = useState<{ line: number; column: number } | null>(null);

  const active = state.active ? (state.buffers[state.active] ?? null) : null;
  const files = useMemo(() => (tree.data ? listFiles(tree.data.root) : []), [tree.data]);
  const codeFiles = useMemo(() => (tree.data ? codeFilesOf(tree.data.root) : []), [tree.data]);
  const dirtyPaths = useMemo(
    () =>
      new Set(
        Object.values(state.buffers)
          .filter(hasUnsavedChanges)
          .map((b) => b.path),
      ),
    [state.buffers],
  );

  // A version appearing (an AI turn) moves the change gutter's baseline.
  useEffect(
    () =>
      bus.subscribe((event) => {
        if (event.type === "ai:turn-done")
          void queryClient.invalidateQueries({ queryKey: ["versions", projectId] });
      }),
    [bus, projectId, queryClient],
  );

  const onKeyDown = (e: KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && e.key.toLowerCase() === "p") {
      e.preventDefault();
      setQuickOpenShown(true);
    } else if (mod && e.shiftKey && e.key.toLowerCase() === "f") {
      e.preventDefault();
      setSidebar("search");
    } else if (mod && e.key.toLowerCase() === "s" && active) {
      e.preventDefault();
      actions.save(active.path);
    }
  };

  return (
    <section
      data-testid="editor-panel"
      aria-label="Editor"
      className="flex h-full min-h-0 flex-col bg-background"
      onKeyDown={onKeyDown}
    >
      <EditorHeader
        sidebar={sidebar}
        onSidebarChange={setSidebar}
        onQuickOpen={() => setQuickOpenShown(true)}
        onSettings={() => setSettingsShown(true)}
      />
      <div className="flex min-h-0 flex-1">
        {sidebar && (
          <EditorSidebar
            kind={sidebar}
            projectId={projectId}
            tree={tree}
            activePath={state.active}
            onReplaced={(paths) =>
              paths.filter((p) => state.buffers[p]).forEach((p) => void actions.reload(p))
            }
            dirtyPaths={dirtyPaths}
            expanded={expansion.expanded}
            onToggle={expansion.toggle}
            actions={actions}
          />
        )}
        <div className="flex min-w-0 flex-1 flex-col">
          <EditorTabs state={state} onActivate={actions.activate} onClose={actions.close} />
          {active && (
            <Breadcrumbs
              path={active.path}
              onReveal={(dir) => {
                setSidebar("files");
                expansion.reveal(dir);
              }}
            />
          )}
          <EditorContent
            projectId={projectId}
            buffer={active}
            files={codeFiles}
            settings={settings}
            theme={theme}
            reveal={reveal}
            actions={actions}
            onQuickOpen={() => setQuickOpenShown(true)}
            onCursor={(line, column) => setCursor({ line, column })}
          />
          {active && <EditorStatusBar buffer={active} cursor={cursor} settings={settings} />}
        </div>
      </div>
      <QuickOpen
        open={quickOpenShown}
        onOpenChange={setQuickOpenShown}
        files={files}
        onPick={(path) => actions.open(path)}
      />
      <EditorSettingsDialog
        open={settingsShown}
        onOpenChange={setSettingsShown}
        settings={settings}
      />
    </section>
  );
}
