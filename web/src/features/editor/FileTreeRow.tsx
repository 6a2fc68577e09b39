import { ChevronDown, ChevronRight, File, Folder, FolderOpen } from "lucide-react";
import type { DragEvent } from "react";
import { cn } from "@/lib/utils";
import { FileTreeRowMenu, type RowActions } from "./FileTreeRowMenu";
import type { TreeNode } from "./lib/tree";
import { dropDir, isFileDrag } from "./lib/upload";
import { DRAG_TYPE } from "./useTreeDrop";

export interface FileTreeRowProps {
  node: TreeNode;
  depth: number;
  open: boolean;
  active: boolean;
  dirty: boolean;
  dropTarget: boolean;
  /** A click: a folder opens or closes, a file opens. */
  onActivate: () => void;
  onDragOver: (e: DragEvent, dir: string) => void;
  onDrop: (e: DragEvent, dir: string) => void;
  actions: RowActions;
}

/** One `treeitem`: draggable, a drop target, F2 renames, Delete deletes. */
export function FileTreeRow({
  node,
  depth,
  open,
  active,
  dirty,
  dropTarget,
  onActivate,
  actions,
  ...drag
}: FileTreeRowProps) {
  const isDir = node.type === "dir";
  const Icon = isDir ? (open ? FolderOpen : Folder) : File;
  const Chevron = open ? ChevronDown : ChevronRight;
  // Folders take moves and OS files; a file row takes OS files into its folder.
  const takes = (e: DragEvent) => isDir || isFileDrag(e.dataTransfer.types);
  return (
    <div
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={isDir ? open : undefined}
      aria-selected={active}
      data-path={node.path}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, node.path);
        e.dataTransfer.effectAllowed = "move";
      }}
      onDragOver={(e) => {
        if (!takes(e)) return;
        e.stopPropagation();
        drag.onDragOver(e, dropDir(node));
      }}
      onDrop={(e) => {
        if (!takes(e)) return;
        e.stopPropagation();
        drag.onDrop(e, dropDir(node));
      }}
      className={cn(
        "group flex h-7 cursor-pointer items-center gap-1 pr-1 hover:bg-accent/60",
        active && "bg-accent text-accent-foreground",
        dropTarget && "bg-primary/15 ring-1 ring-primary/40 ring-inset",
      )}
      style={{ paddingLeft: 4 + depth * 12 }}
    >
      <button
        type="button"
        className="flex min-w-0 flex-1 items-center gap-1 text-left outline-none focus-visible:underline"
        onClick={onActivate}
        onKeyDown={(e) => {
          if (e.key === "F2") actions.onRename(node.path);
          if (e.key === "Delete") actions.onDelete(node);
        }}
      >
        {isDir ? (
          <Chevron className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
        ) : (
          <span className="w-3.5 shrink-0" />
        )}
        <Icon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        <span className="truncate">{node.name}</span>
        {dirty && (
          <span
            className="ml-1 size-1.5 shrink-0 rounded-full bg-foreground/70"
            aria-label="unsaved"
          />
        )}
      </button>
      <FileTreeRowMenu node={node} actions={actions} />
    </div>
  );
}
