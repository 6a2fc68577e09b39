import { MoreHorizontal } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { TreeNode } from "./lib/tree";

export interface RowActions {
  onCreate: (kind: "file" | "dir", dir: string) => void;
  onUpload: (dir: string) => void;
  onRename: (path: string) => void;
  onDelete: (node: TreeNode) => void;
}

/** A row's "…" menu: in a folder, new file / folder and upload; rename and delete. */
export function FileTreeRowMenu({ node, actions }: { node: TreeNode; actions: RowActions }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon-sm"
          className="size-6 opacity-0 group-hover:opacity-100 focus-visible:opacity-100 data-[state=open]:opacity-100"
          aria-label={`Actions for ${node.name}`}
        >
          <MoreHorizontal className="size-3.5" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        {node.type === "dir" && (
          <>
            <DropdownMenuItem onSelect={() => actions.onCreate("file", node.path)}>
              New file…
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => actions.onCreate("dir", node.path)}>
              New folder…
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => actions.onUpload(node.path)}>
              Upload files…
            </DropdownMenuItem>
            <DropdownMenuSeparator />
          </>
        )}
        <DropdownMenuItem onSelect={() => actions.onRename(node.path)}>Rename…</DropdownMenuItem>
        <DropdownMenuItem className="text-destructive" onSelect={() => actions.onDelete(node)}>
          Delete…
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
