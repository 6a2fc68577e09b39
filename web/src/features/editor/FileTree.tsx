import {
  ChevronDown,
  ChevronRight,
  File,
  FilePlus,
  Folder,
  FolderOpen,
  FolderPlus,
  Loader2,
  MoreHorizontal,
  RefreshCw,
  Upload,
} from "lucide-react";
import { useRef, useState, type DragEvent, type FormEvent } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { cn } from "@/lib/utils";
import { useCreateFile, useDeletePath, useMkdir, useRenamePath, useUploadFiles } from "./api";
import {
  baseName,
  hasPath,
  joinPath,
  moveTarget,
  nameError,
  parentDir,
  visibleRows,
  type TreeNode,
} from "./lib/tree";
import { dropDir, folderLabel, isFileDrag, uploadedMessage } from "./lib/upload";

/** An inline name input: creating in a folder, or renaming a path. */
type Editing = { kind: "file" | "dir"; dir: string } | { kind: "rename"; path: string };

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

const DRAG_TYPE = "application/x-appwright-path";

function NameInput({
  initial,
  depth,
  onDone,
}: {
  initial: string;
  depth: number;
  onDone: (name: string | null) => void;
}) {
  const [value, setValue] = useState(initial);
  const error = value === initial ? null : nameError(value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!nameError(value)) onDone(value.trim());
  };
  return (
    <form onSubmit={submit} className="px-2 py-0.5" style={{ paddingLeft: 8 + depth * 12 }}>
      <input
        autoFocus
        aria-label="Name"
        aria-invalid={error !== null}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onFocus={(e) => {
          const dot = e.target.value.lastIndexOf(".");
          e.target.setSelectionRange(0, dot > 0 ? dot : e.target.value.length);
        }}
        onBlur={() => onDone(nameError(value) || value === initial ? null : value.trim())}
        onKeyDown={(e) => {
          if (e.key === "Escape") onDone(null);
        }}
        className="h-6 w-full rounded border bg-background px-1.5 text-sm outline-none focus:ring-2 focus:ring-ring aria-[invalid=true]:border-destructive"
      />
      {error && <p className="mt-0.5 text-xs text-destructive">{error}</p>}
    </form>
  );
}

export function FileTree(props: FileTreeProps) {
  const {
    projectId,
    root,
    activePath,
    dirtyPaths,
    expanded,
    onToggle,
    onOpen,
    onRenamed,
    onDeleted,
  } = props;
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<TreeNode | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const createFile = useCreateFile(projectId);
  const mkdir = useMkdir(projectId);
  const rename = useRenamePath(projectId);
  const remove = useDeletePath(projectId);
  const uploadFiles = useUploadFiles(projectId);
  const uploadInput = useRef<HTMLInputElement>(null);
  const [uploadDir, setUploadDir] = useState("");
  const [confirmReplace, setConfirmReplace] = useState<{ files: File[]; dir: string } | null>(null);

  const move = async (from: string, to: string) => {
    if (hasPath(root, to)) {
      toast.error(`${to} already exists.`);
      return;
    }
    try {
      await rename.mutateAsync({ from, to });
      onRenamed(from, to);
    } catch (error) {
      toast.error(`Could not move ${from}: ${errorMessage(error)}`);
    }
  };

  const finishEditing = async (name: string | null) => {
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
        onToggle(path, true);
      } else {
        await createFile.mutateAsync(path);
        onOpen(path);
      }
    } catch (error) {
      toast.error(errorMessage(error));
    }
  };

  const startCreate = (kind: "file" | "dir", dir: string) => {
    if (dir) onToggle(dir, true);
    setEditing({ kind, dir });
  };

  /** Upload files from the OS into `dir`; each failure is told with its reason, existing files are asked about. */
  const upload = async (files: File[], dir: string, overwrite = false) => {
    if (files.length === 0) return;
    const report = await uploadFiles.mutateAsync({ files, directory: dir, overwrite });
    if (report.uploaded.length) {
      toast.success(uploadedMessage(report.uploaded, dir));
      if (dir) onToggle(dir, true);
    }
    for (const { name, reason } of report.failed)
      toast.error(`Could not upload ${name}`, { description: reason, duration: 10_000 });
    if (report.exists.length) setConfirmReplace({ files: report.exists, dir });
  };
  const pickFiles = (dir: string) => {
    setUploadDir(dir);
    uploadInput.current?.click();
  };

  const onDrop = (e: DragEvent, dir: string) => {
    e.preventDefault();
    setDropTarget(null);
    if (isFileDrag(e.dataTransfer.types)) {
      void upload([...e.dataTransfer.files], dir);
      return;
    }
    const source = e.dataTransfer.getData(DRAG_TYPE);
    if (!source) return;
    const to = moveTarget(source, dir);
    if (to) void move(source, to);
  };
  const dragOver = (e: DragEvent, dir: string) => {
    const files = isFileDrag(e.dataTransfer.types);
    if (!files && !e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = files ? "copy" : "move";
    setDropTarget(dir);
  };

  const rows = visibleRows(root, expanded);
  const creatingAt = (dir: string, depth: number) =>
    editing && editing.kind !== "rename" && editing.dir === dir ? (
      <NameInput
        key={`new-${dir}`}
        initial=""
        depth={depth}
        onDone={(n) => void finishEditing(n)}
      />
    ) : null;

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="file-tree">
      <div className="flex h-9 shrink-0 items-center gap-0.5 border-b px-2">
        <span className="mr-auto text-xs font-medium uppercase tracking-wide text-muted-foreground">
          Files
        </span>
        <Button
          variant="ghost"
          size="icon-sm"
          className="size-7"
          aria-label="New file"
          title="New file"
          onClick={() => startCreate("file", "")}
        >
          <FilePlus className="size-4" />
        </Button>
        <Button
          variant="ghost"
          size="icon-sm"
          className="size-7"
          aria-label="New folder"
          title="New folder"
          onClick={() => startCreate("dir", "")}
        >
          <FolderPlus className="size-4" />
        </Button>
        <Button
          variant="ghost"
          size="icon-sm"
          className="size-7"
          aria-label="Upload files"
          title="Upload images, fonts or media (or drop files on the tree)"
          data-testid="file-upload"
          disabled={uploadFiles.isPending}
          onClick={() => pickFiles("")}
        >
          {uploadFiles.isPending ? (
            <Loader2 className="size-4 animate-spin" />
          ) : (
            <Upload className="size-4" />
          )}
        </Button>
        <input
          ref={uploadInput}
          type="file"
          multiple
          hidden
          data-testid="file-upload-input"
          aria-label="Files to upload"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = "";
            void upload(files, uploadDir);
            setUploadDir("");
          }}
        />
        <Button
          variant="ghost"
          size="icon-sm"
          className="size-7"
          aria-label="Refresh files"
          title="Refresh"
          onClick={props.onRefresh}
        >
          <RefreshCw className={cn("size-4", props.refreshing && "animate-spin")} />
        </Button>
      </div>
      <div
        role="tree"
        aria-label="Project files"
        className={cn(
          "min-h-0 flex-1 overflow-auto py-1 text-sm",
          dropTarget === "" && "bg-primary/5",
        )}
        onDragOver={(e) => dragOver(e, "")}
        onDragLeave={() => setDropTarget(null)}
        onDrop={(e) => onDrop(e, "")}
      >
        {creatingAt("", 0)}
        {rows.map(({ node, depth }) => {
          const isDir = node.type === "dir";
          const open = isDir && expanded.has(node.path);
          const renaming = editing?.kind === "rename" && editing.path === node.path;
          if (renaming) {
            return (
              <NameInput
                key={node.path}
                initial={node.name}
                depth={depth}
                onDone={(n) => void finishEditing(n)}
              />
            );
          }
          const Icon = isDir ? (open ? FolderOpen : Folder) : File;
          return (
            <div key={node.path}>
              <div
                role="treeitem"
                aria-level={depth + 1}
                aria-expanded={isDir ? open : undefined}
                aria-selected={node.path === activePath}
                data-path={node.path}
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, node.path);
                  e.dataTransfer.effectAllowed = "move";
                }}
                // Folders take moves and OS files; a file row takes OS files into its folder.
                onDragOver={(e) => {
                  if (!isDir && !isFileDrag(e.dataTransfer.types)) return;
                  e.stopPropagation();
                  dragOver(e, dropDir(node));
                }}
                onDrop={(e) => {
                  if (!isDir && !isFileDrag(e.dataTransfer.types)) return;
                  e.stopPropagation();
                  onDrop(e, dropDir(node));
                }}
                className={cn(
                  "group flex h-7 cursor-pointer items-center gap-1 pr-1 hover:bg-accent/60",
                  node.path === activePath && "bg-accent text-accent-foreground",
                  dropTarget === node.path && "bg-primary/15 ring-1 ring-primary/40 ring-inset",
                )}
                style={{ paddingLeft: 4 + depth * 12 }}
              >
                <button
                  type="button"
                  className="flex min-w-0 flex-1 items-center gap-1 text-left outline-none focus-visible:underline"
                  onClick={() => (isDir ? onToggle(node.path) : onOpen(node.path))}
                  onKeyDown={(e) => {
                    if (e.key === "F2") setEditing({ kind: "rename", path: node.path });
                    if (e.key === "Delete") setConfirmDelete(node);
                  }}
                >
                  {isDir ? (
                    open ? (
                      <ChevronDown
                        className="size-3.5 shrink-0 text-muted-foreground"
                        aria-hidden
                      />
                    ) : (
                      <ChevronRight
                        className="size-3.5 shrink-0 text-muted-foreground"
                        aria-hidden
                      />
                    )
                  ) : (
                    <span className="w-3.5 shrink-0" />
                  )}
                  <Icon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                  <span className="truncate">{node.name}</span>
                  {dirtyPaths.has(node.path) && (
                    <span
                      className="ml-1 size-1.5 shrink-0 rounded-full bg-foreground/70"
                      aria-label="unsaved"
                    />
                  )}
                </button>
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
                    {isDir && (
                      <>
                        <DropdownMenuItem onSelect={() => startCreate("file", node.path)}>
                          New file…
                        </DropdownMenuItem>
                        <DropdownMenuItem onSelect={() => startCreate("dir", node.path)}>
                          New folder…
                        </DropdownMenuItem>
                        <DropdownMenuItem onSelect={() => pickFiles(node.path)}>
                          Upload files…
                        </DropdownMenuItem>
                        <DropdownMenuSeparator />
                      </>
                    )}
                    <DropdownMenuItem
                      onSelect={() => setEditing({ kind: "rename", path: node.path })}
                    >
                      Rename…
                    </DropdownMenuItem>
                    <DropdownMenuItem
                      className="text-destructive"
                      onSelect={() => setConfirmDelete(node)}
                    >
                      Delete…
                    </DropdownMenuItem>
                  </DropdownMenuContent>
                </DropdownMenu>
              </div>
              {isDir && open && creatingAt(node.path, depth + 1)}
            </div>
          );
        })}
        {rows.length === 0 && !editing && (
          <p className="px-3 py-2 text-xs text-muted-foreground">No files yet.</p>
        )}
      </div>
      <AlertDialog
        open={confirmReplace !== null}
        onOpenChange={(o) => !o && setConfirmReplace(null)}
      >
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>
              Replace{" "}
              {confirmReplace?.files.length === 1
                ? confirmReplace.files[0]?.name
                : `${confirmReplace?.files.length ?? 0} files`}
              ?
            </AlertDialogTitle>
            <AlertDialogDescription>
              {confirmReplace?.files.length === 1
                ? "A file with that name"
                : "Files with these names"}{" "}
              already {confirmReplace?.files.length === 1 ? "exists" : "exist"} in{" "}
              {folderLabel(confirmReplace?.dir ?? "")}
              {confirmReplace && confirmReplace.files.length > 1
                ? ` (${confirmReplace.files.map((f) => f.name).join(", ")})`
                : ""}
              . Earlier versions keep the old {confirmReplace?.files.length === 1 ? "one" : "ones"}.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep the existing</AlertDialogCancel>
            <AlertDialogAction
              onClick={() => {
                if (confirmReplace) void upload(confirmReplace.files, confirmReplace.dir, true);
              }}
            >
              Replace
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      <AlertDialog open={confirmDelete !== null} onOpenChange={(o) => !o && setConfirmDelete(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>
              Delete {confirmDelete ? baseName(confirmDelete.path) : ""}?
            </AlertDialogTitle>
            <AlertDialogDescription>
              {confirmDelete?.type === "dir"
                ? "The folder and everything in it is deleted."
                : "The file is deleted."}{" "}
              Earlier versions keep it: revert to bring it back.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={() => {
                const node = confirmDelete;
                if (!node) return;
                remove.mutate(node.path, {
                  onSuccess: () => onDeleted(node.path),
                  onError: (error) => toast.error(`Could not delete: ${errorMessage(error)}`),
                });
              }}
            >
              Delete
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
