/** Uploading files from the OS into the project: drags, folders, error wording (pure, tested). */
import { ApiError, errorMessage } from "@/api/errors";
import type { TreeNode } from "./tree";
import { parentDir } from "./tree";

/** True for a drag that carries files from the OS (not a row of the tree itself). */
export function isFileDrag(types: readonly string[]): boolean {
  return types.includes("Files");
}

/** The folder files dropped on a row go into: the folder itself, or the file's folder. */
export function dropDir(node: Pick<TreeNode, "path" | "type">): string {
  return node.type === "dir" ? node.path : parentDir(node.path);
}

/** "assets/" or "the project root". */
export function folderLabel(dir: string): string {
  return dir ? `${dir}/` : "the project root";
}

export function uploadedMessage(names: readonly string[], dir: string): string {
  const what = names.length === 1 ? (names[0] ?? "") : `${names.length} files`;
  return `Uploaded ${what} to ${folderLabel(dir)}`;
}

/** Why one file's upload failed: it exists (the person is asked to replace it), or a reason to show. */
export type UploadProblem = { kind: "exists" } | { kind: "failed"; reason: string };

export function uploadProblem(error: unknown): UploadProblem {
  if (error instanceof ApiError) {
    if (error.status === 412) return { kind: "exists" };
    if (error.status === 413)
      return {
        kind: "failed",
        reason: `The file is too large (${error.detail.replace(/\.$/, "")}).`,
      };
  }
  return { kind: "failed", reason: errorMessage(error) };
}
