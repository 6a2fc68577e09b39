import { FilePlus, FolderPlus, Loader2, RefreshCw, Upload } from "lucide-react";
import type { RefObject } from "react";
import { cn } from "@/lib/utils";
import { ToolButton } from "./ToolButton";

export interface FileTreeToolbarProps {
  onCreate: (kind: "file" | "dir") => void;
  /** The hidden file picker; `onPick` opens it, `onPicked` gets what was chosen. */
  uploadInput: RefObject<HTMLInputElement>;
  uploading: boolean;
  onPick: () => void;
  onPicked: (files: File[]) => void;
  onRefresh: () => void;
  refreshing: boolean;
}

/** The file tree's header: new file, new folder, upload, refresh. */
export function FileTreeToolbar(props: FileTreeToolbarProps) {
  const { onCreate, uploadInput, uploading, onPick, onPicked } = props;
  return (
    <div className="flex h-9 shrink-0 items-center gap-0.5 border-b px-2">
      <span className="mr-auto text-xs font-medium uppercase tracking-wide text-muted-foreground">
        Files
      </span>
      <ToolButton label="New file" title="New file" onClick={() => onCreate("file")}>
        <FilePlus className="size-4" />
      </ToolButton>
      <ToolButton label="New folder" title="New folder" onClick={() => onCreate("dir")}>
        <FolderPlus className="size-4" />
      </ToolButton>
      <ToolButton
        label="Upload files"
        title="Upload images, fonts or media (or drop files on the tree)"
        data-testid="file-upload"
        disabled={uploading}
        onClick={onPick}
      >
        {uploading ? <Loader2 className="size-4 animate-spin" /> : <Upload className="size-4" />}
      </ToolButton>
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
          onPicked(files);
        }}
      />
      <ToolButton label="Refresh files" title="Refresh" onClick={props.onRefresh}>
        <RefreshCw className={cn("size-4", props.refreshing && "animate-spin")} />
      </ToolButton>
    </div>
  );
}
