import { useQueryClient } from "@tanstack/react-query";
import { Bot, Code2, FileSearch, Files, Search, Settings2 } from "lucide-react";
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type KeyboardEvent,
} from "react";
import { errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import { Button } from "@/components/ui/button";
import { useHeadFile } from "@/features/versions/api";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { cn } from "@/lib/utils";
import { useEditorSettings, useFileTree } from "./api";
import { ConflictView } from "./ConflictView";
import { Breadcrumbs, EditorTabs } from "./EditorTabs";
import { EditorSettingsDialog } from "./EditorSettingsDialog";
import { FileTree } from "./FileTree";
import { hasUnsavedChanges, type Buffer } from "./lib/buffers";
import { ancestors, listFiles, type TreeNode } from "./lib/tree";
import { QuickOpen } from "./QuickOpen";
import { SearchPanel } from "./SearchPanel";
import { Spinner } from "./Spinner";
import { useMonacoTheme } from "./theme";
import { useEditorController } from "./useEditorController";

// Monaco is a few MB: it loads with the first file shown, never with the dashboard.
const CodeEditor = lazy(() => import("./monaco/CodeEditor"));

export interface EditorPanelProps {
  project: Project;
  bus: WorkspaceBus;
}

function codeFilesOf(node: TreeNode): { path: string; size: number }[] {
  if (node.type === "file") return [{ path: node.path, size: node.size }];
  return (node.children ?? []).flatMap(codeFilesOf);
}

function statusText(buffer: Buffer): string {
  if (buffer.streaming !== null) return "AI is writing…";
  switch (buffer.status) {
    case "loading":
      return "Loading…";
    case "clean":
      return "Saved";
    case "dirty":
      return buffer.error ? "Not saved" : "Unsaved changes";
    case "saving":
      return "Saving…";
    case "conflict":
      return "Conflict";
    case "error":
      return "Could not open";
  }
}

/** The code editor: file tree or search, tabs, breadcrumbs, Monaco and a status bar. */
export function EditorPanel({ project, bus }: EditorPanelProps) {
  const projectId = project.id;
  const queryClient = useQueryClient();
  const settings = useEditorSettings();
  const theme = useMonacoTheme();
  const tree = useFileTree(projectId);
  const { state, actions, reveal } = useEditorController(projectId, bus, settings);
  const [sidebar, setSidebar] = useState<"files" | "search" | null>("files");
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [quickOpenShown, setQuickOpenShown] = useState(false);
  const [settingsShown, setSettingsShown] = useState(false);
  const [cursor, setCursor] = useState<{ line: number; column: number } | null>(null);

  const active = state.active ? (state.buffers[state.active] ?? null) : null;
  const head = useHeadFile(projectId, active && !active.binary ? active.path : null);
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

  const toggle = useCallback((dir: string, open?: boolean) => {
    setExpanded((current) => {
      const next = new Set(current);
      const shouldOpen = open ?? !next.has(dir);
      if (shouldOpen) next.add(dir);
      else next.delete(dir);
      return next;
    });
  }, []);

  // The active file's folders open in the tree.
  const activePath = state.active;
  useEffect(() => {
    if (!activePath) return;
    setExpanded((current) => {
      const missing = ancestors(activePath).filter((d) => !current.has(d));
      return missing.length ? new Set([...current, ...missing]) : current;
    });
  }, [activePath]);

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

  const sidebarButton = (kind: "files" | "search", label: string, Icon: typeof Files) => (
    <Button
      variant="ghost"
      size="icon-sm"
      className={cn("size-7", sidebar === kind && "bg-accent")}
      aria-label={label}
      aria-pressed={sidebar === kind}
      title={label}
      onClick={() => setSidebar(sidebar === kind ? null : kind)}
    >
      <Icon className="size-4" />
    </Button>
  );

  let content;
  if (!active) {
    content = (
      <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center">
        <span className="grid size-12 place-items-center rounded-2xl bg-muted text-muted-foreground">
          <Code2 className="size-6" aria-hidden />
        </span>
        <div className="grid max-w-xs gap-1">
          <p className="font-medium">No file open</p>
          <p className="text-sm text-muted-foreground">
            Pick a file from the tree, or press{" "}
            <kbd className="rounded border px-1 text-xs">Ctrl P</kbd> to go to one by name.
          </p>
        </div>
      </div>
    );
  } else if (active.streaming === null && active.status === "loading") {
    content = <Spinner label={`Opening ${active.path}…`} />;
  } else if (active.streaming === null && active.status === "error") {
    content = (
      <div className="flex flex-1 flex-col items-center justify-center gap-2 p-6 text-center text-sm">
        <p className="text-destructive">{active.error}</p>
        <Button size="sm" variant="outline" onClick={() => actions.open(active.path)}>
          Try again
        </Button>
      </div>
    );
  } else if (active.binary) {
    content = (
      <div className="flex flex-1 flex-col items-center justify-center gap-2 p-6 text-center text-sm text-muted-foreground">
        <p>This is a binary file; it is not shown in the editor.</p>
        <a
          className="underline"
          href={`/api/files/${projectId}?path=${encodeURIComponent(active.path)}&raw=1`}
          target="_blank"
          rel="noreferrer"
        >
          Open it in a new tab
        </a>
      </div>
    );
  } else if (active.streaming === null && active.status === "conflict") {
    content = (
      <ConflictView
        key={active.path}
        buffer={active}
        theme={theme}
        onResolve={(r) => actions.resolve(active.path, r)}
      />
    );
  } else {
    content = (
      <>
        {active.streaming !== null && (
          <div
            role="status"
            className="flex items-center gap-2 border-b bg-violet-500/10 px-3 py-1.5 text-xs"
          >
            <Bot className="size-3.5 text-violet-600" aria-hidden />
            The AI is writing this file. It becomes editable when it is done.
          </div>
        )}
        <div className="min-h-0 flex-1" data-testid="code-editor" data-path={active.path}>
          <Suspense fallback={<Spinner label="Loading editor…" />}>
            <CodeEditor
              projectId={projectId}
              files={codeFiles}
              path={active.path}
              value={active.streaming ?? active.value}
              readOnly={active.streaming !== null}
              settings={settings}
              theme={theme}
              headContent={head.data ?? null}
              reveal={reveal}
              onChange={(value) => actions.edit(active.path, value)}
              onSave={() => actions.save(active.path)}
              onQuickOpen={() => setQuickOpenShown(true)}
              onCursor={(line, column) => setCursor({ line, column })}
            />
          </Suspense>
        </div>
      </>
    );
  }

  return (
    <section
      data-testid="editor-panel"
      aria-label="Editor"
      className="flex h-full min-h-0 flex-col bg-background"
      onKeyDown={onKeyDown}
    >
      <div className="flex h-10 shrink-0 items-center gap-1 border-b px-3 text-sm font-medium">
        <Code2 className="size-4 text-muted-foreground" aria-hidden />
        <h2 className="mr-auto">Code</h2>
        {sidebarButton("files", "Show files", Files)}
        {sidebarButton("search", "Search in files", Search)}
        <Button
          variant="ghost"
          size="icon-sm"
          className="size-7"
          aria-label="Go to file"
          title="Go to file (Ctrl+P)"
          onClick={() => setQuickOpenShown(true)}
        >
          <FileSearch className="size-4" />
        </Button>
        <Button
          variant="ghost"
          size="icon-sm"
          className="size-7"
          aria-label="Editor settings"
          title="Editor settings"
          onClick={() => setSettingsShown(true)}
        >
          <Settings2 className="size-4" />
        </Button>
      </div>
      <div className="flex min-h-0 flex-1">
        {sidebar && (
          <aside
            className="flex w-56 shrink-0 flex-col border-r"
            aria-label={sidebar === "files" ? "Files" : "Search"}
          >
            {sidebar === "files" ? (
              tree.isPending ? (
                <Spinner label="Loading files…" />
              ) : tree.isError ? (
                <div className="grid gap-2 p-3 text-sm">
                  <p className="text-destructive">{errorMessage(tree.error)}</p>
                  <Button size="sm" variant="outline" onClick={() => void tree.refetch()}>
                    Try again
                  </Button>
                </div>
              ) : (
                <FileTree
                  projectId={projectId}
                  root={tree.data.root}
                  activePath={state.active}
                  dirtyPaths={dirtyPaths}
                  expanded={expanded}
                  onToggle={toggle}
                  onOpen={(path) => actions.open(path)}
                  onRenamed={actions.renamed}
                  onDeleted={actions.deleted}
                  onRefresh={() => void tree.refetch()}
                  refreshing={tree.isFetching}
                />
              )
            ) : (
              <SearchPanel
                projectId={projectId}
                onOpen={(path, line) => actions.open(path, line)}
                onReplaced={(paths) =>
                  paths.filter((p) => state.buffers[p]).forEach((p) => void actions.reload(p))
                }
              />
            )}
          </aside>
        )}
        <div className="flex min-w-0 flex-1 flex-col">
          <EditorTabs state={state} onActivate={actions.activate} onClose={actions.close} />
          {active && (
            <Breadcrumbs
              path={active.path}
              onReveal={(dir) => {
                setSidebar("files");
                for (const d of [...ancestors(dir), dir]) toggle(d, true);
              }}
            />
          )}
          {content}
          {active && (
            <div
              data-testid="editor-status"
              className="flex h-6 shrink-0 items-center gap-3 border-t px-3 text-xs text-muted-foreground"
              aria-live="polite"
            >
              <span data-testid="editor-save-status">{statusText(active)}</span>
              {active.error && active.status === "dirty" && (
                <span className="text-destructive">{active.error}</span>
              )}
              <span className="ml-auto">
                {cursor ? `Ln ${cursor.line}, Col ${cursor.column}` : ""}
              </span>
              <span>{settings.auto_save ? "Autosave on" : "Autosave off"}</span>
            </div>
          )}
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
