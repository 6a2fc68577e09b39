import { errorMessage } from "@/api/errors";
import { RetryError } from "@/components/ui/retry-error";
import type { useFileTree } from "./api";
import type { Sidebar } from "./EditorHeader";
import { FileTree } from "./FileTree";
import { SearchPanel } from "./SearchPanel";
import { Spinner } from "./Spinner";
import type { EditorActions } from "./useEditorController";

export interface EditorSidebarProps {
  kind: Sidebar;
  projectId: string;
  tree: ReturnType<typeof useFileTree>;
  activePath: string | null;
  /** Search and replace changed these files. */
  onReplaced: (paths: string[]) => void;
  dirtyPaths: ReadonlySet<string>;
  expanded: ReadonlySet<string>;
  onToggle: (dir: string, open?: boolean) => void;
  actions: EditorActions;
}

/** Beside the editor: the file tree, or search and replace in files. */
export function EditorSidebar({
  kind,
  projectId,
  tree,
  actions,
  onReplaced,
  ...rest
}: EditorSidebarProps) {
  let body;
  if (kind === "search") {
    body = (
      <SearchPanel
        projectId={projectId}
        onOpen={(path, line) => actions.open(path, line)}
        onReplaced={onReplaced}
      />
    );
  } else if (tree.isPending) {
    body = <Spinner label="Loading files…" />;
  } else if (tree.isError) {
    body = (
      <div className="grid gap-2 p-3 text-sm">
        <RetryError message={errorMessage(tree.error)} onRetry={() => void tree.refetch()} />
      </div>
    );
  } else {
    body = (
      <FileTree
        projectId={projectId}
        root={tree.data.root}
        {...rest}
        onOpen={(path) => actions.open(path)}
        onRenamed={actions.renamed}
        onDeleted={actions.deleted}
        onRefresh={() => void tree.refetch()}
        refreshing={tree.isFetching}
      />
    );
  }
  return (
    <aside
      className="flex w-56 shrink-0 flex-col border-r"
      aria-label={kind === "files" ? "Files" : "Search"}
    >
      {body}
    </aside>
  );
}
