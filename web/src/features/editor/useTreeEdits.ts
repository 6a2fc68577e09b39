import { useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { useCreateFile, useMkdir, useRenamePath } from "./api";
import { hasPath, joinPath, parentDir, type TreeNode } from "./lib/tree";

/** An inline name input: creating in a folder, or renaming a path. */
export type Editing = { kind: "file" | "dir"; dir: string } | { kind: "rename"; path: string };

export interface TreeEditCallbacks {
  onToggle: (dir: string, open?: boolean) => void;
  onOpen: (path: string) => void;
  onRenamed: (from: string, to: string) => void;
}

/** Creating files and folders, renaming and moving paths; each failure is a toast. */
export function useTreeEdits(projectId: string, root: TreeNode, on: TreeEditCallbacks) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const createFile = useCreateFile(projectId);
  const mkdir = useMkdir(projectId);
  const rename = useRenamePath(projectId);

  const move = async (from: string, to: string) => {
    if (hasPath(root, to)) {
      toast.error(`${to} already exists.`);
      return;
    }
    try {
      await rename.mutateAsync({ from, to });
      on.onRenamed(from, to);
    } catch (error) {
      toast.error(`Could not move ${from}: ${errorMessage(error)}`);
    }
  };

  /** The name input's answer: `name` for the edit under way, null to cancel it. */
  const finish = async (name: string | null) => {
    const current = editing;
    setEditing(null);
    if (!current || name === null) return;
    try {
      if (current.kind === "rename") {
        const to = joinPath(parentDir(current.path), name);
        if (to !== current.path) await move(current.path, to);
        return;
      }
      const path = joinPath(current.dir, name);
      if (hasPath(root, path)) {
        toast.error(`${path} already exists.`);
        return;
      }
      if (current.kind === "dir") {
        await mkdir.mutateAsync(path);
        on.onToggle(path, true);
      } else {
        await createFile.mutateAsync(path);
        on.onOpen(path);
      }
    } catch (error) {
      toast.error(errorMessage(error));
    }
  };

  const startCreate = (kind: "file" | "dir", dir: string) => {
    if (dir) on.onToggle(dir, true);
    setEditing({ kind, dir });
  };
  const startRename = (path: string) => setEditing({ kind: "rename", path });

  return { editing, move, finish, startCreate, startRename };
}
