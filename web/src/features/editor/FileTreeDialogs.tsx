import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useDeletePath } from "./api";
import { baseName, type TreeNode } from "./lib/tree";
import { folderLabel } from "./lib/upload";
import type { ExistingFiles } from "./useTreeUpload";

/** Asks whether uploaded files replace the files of the same names. */
export function ReplaceFilesDialog({
  existing,
  onClose,
  onReplace,
}: {
  existing: ExistingFiles | null;
  onClose: () => void;
  onReplace: (existing: ExistingFiles) => void;
}) {
  const one = existing?.files.length === 1;
  const count = existing?.files.length ?? 0;
  return (
    <ConfirmDialog
      open={existing !== null}
      onClose={onClose}
      title={<>Replace {one ? existing.files[0]?.name : `${count} files`}?</>}
      description={
        <>
          {one ? "A file with that name" : "Files with these names"} already{" "}
          {one ? "exists" : "exist"} in {folderLabel(existing?.dir ?? "")}
          {existing && count > 1 ? ` (${existing.files.map((f) => f.name).join(", ")})` : ""}.
          Earlier versions keep the old {one ? "one" : "ones"}.
        </>
      }
      cancelLabel="Keep the existing"
      confirmLabel="Replace"
      onConfirm={() => {
        if (existing) onReplace(existing);
      }}
    />
  );
}

/** Asks before deleting a file or a folder with everything in it. */
export function DeletePathDialog({
  projectId,
  node,
  onClose,
  onDeleted,
}: {
  projectId: string;
  node: TreeNode | null;
  onClose: () => void;
  onDeleted: (path: string) => void;
}) {
  const remove = useDeletePath(projectId);
  return (
    <ConfirmDialog
      open={node !== null}
      onClose={onClose}
      title={<>Delete {node ? baseName(node.path) : ""}?</>}
      description={
        <>
          {node?.type === "dir"
            ? "The folder and everything in it is deleted."
            : "The file is deleted."}{" "}
          Earlier versions keep it: revert to bring it back.
        </>
      }
      confirmLabel="Delete"
      onConfirm={() => {
        if (!node) return;
        remove.mutate(node.path, {
          onSuccess: () => onDeleted(node.path),
          onError: (error) => toast.error(`Could not delete: ${errorMessage(error)}`),
        });
      }}
    />
  );
}
