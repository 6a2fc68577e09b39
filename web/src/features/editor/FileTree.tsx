import { useState } from "react";
import { cn } from "@/lib/utils";
import { DeletePathDialog, ReplaceFilesDialog } from "./FileTreeDialogs";
import { FileTreeRow } from "./FileTreeRow";
import type { RowActions } from "./FileTreeRowMenu";
import { FileTreeToolbar } from "./FileTreeToolbar";
import { visibleRows, type TreeNode } from "./lib/tree";
import { NameInput } from "./NameInput";
import { useTreeDrop } from "./useTreeDrop";
import { useTreeEdits } from "./useTreeEdits";
import { useTreeUpload } from "./useTreeUpload";

export interface FileTreeProps {
  projectId: string;
  root: TreeNode;
  activePath: string | null;
  dirtyPaths: ReadonlySet<string>;
  expanded: ReadonlySet<string>;
  onToggle: (dir: string, open?: boolean) => void;
  onOpen: (path: string) => void;
  onRenamed: (from: string, to: string) => void;
  onDeleted: (path: string) => void;
  onRefresh: () => void;
  refreshing: boolean;
}

export function FileTree(props: FileTreeProps) {
  const { projectId, root, activePath, dirtyPaths, expanded, onToggle, onOpen } = props;
  const edits = useTreeEdits(projectId, root, props);
  const uploads = useTreeUpload(projectId, onToggle);
  const drop = useTreeDrop(uploads.upload, edits.move);
  const [confirmDelete, setConfirmDelete] = useState<TreeNode | null>(null);
  const { editing } = edits;

  const actions: RowActions = {
    onCreate: edits.startCreate,
    onUpload: uploads.pick,
    onRename: edits.startRename,
    onDelete: setConfirmDelete,
  };
  const finish = (name: string | null) => void edits.finish(name);
  const rows = visibleRows(root, expanded);
  const creatingAt = (dir: string, depth: number) =>
    editing && editing.kind !== "rename" && editing.dir === dir ? (
      <NameInput key={`new-${dir}`} initial="" depth={depth} onDone={finish} />
    ) : null;

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="file-tree">
      <FileTreeToolbar
        onCreate={(kind) => edits.startCreate(kind, "")}
        uploadInput={uploads.input}
        uploading={uploads.uploading}
        onPick={() => uploads.pick("")}
        onPicked={uploads.picked}
        onRefresh={props.onRefresh}
        refreshing={props.refreshing}
      />
      <div
        role="tree"
        aria-label="Project files"
        className={cn(
          "min-h-0 flex-1 overflow-auto py-1 text-sm",
          drop.target === "" && "bg-primary/5",
        )}
        onDragOver={(e) => drop.over(e, "")}
        onDragLeave={drop.leave}
        onDrop={(e) => drop.drop(e, "")}
      >
        {creatingAt("", 0)}
        {rows.map(({ node, depth }) => {
          if (editing?.kind === "rename" && editing.path === node.path) {
            return <NameInput key={node.path} initial={node.name} depth={depth} onDone={finish} />;
          }
          const isDir = node.type === "dir";
          const open = isDir && expanded.has(node.path);
          return (
            <div key={node.path}>
              <FileTreeRow
                node={node}
                depth={depth}
                open={open}
                active={node.path === activePath}
                dirty={dirtyPaths.has(node.path)}
                dropTarget={drop.target === node.path}
                onActivate={() => (isDir ? onToggle(node.path) : onOpen(node.path))}
                onDragOver={drop.over}
                onDrop={drop.drop}
                actions={actions}
              />
              {open && creatingAt(node.path, depth + 1)}
            </div>
          );
        })}
        {rows.length === 0 && !editing && (
          <p className="px-3 py-2 text-xs text-muted-foreground">No files yet.</p>
        )}
      </div>
      <ReplaceFilesDialog
        existing={uploads.existing}
        onClose={uploads.closeExisting}
        onReplace={({ files, dir }) => void uploads.upload(files, dir, true)}
      />
      <DeletePathDialog
        projectId={projectId}
        node={confirmDelete}
        onClose={() => setConfirmDelete(null)}
        onDeleted={props.onDeleted}
      />
    </div>
  );
}
