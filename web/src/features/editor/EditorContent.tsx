import { Code2 } from "lucide-react";
import { RetryError } from "@/components/ui/retry-error";
import { useHeadFile } from "@/features/versions/api";
import { CodeView, type CodeViewProps } from "./CodeView";
import { ConflictView } from "./ConflictView";
import type { Buffer } from "./lib/buffers";
import { Spinner } from "./Spinner";

export interface EditorContentProps extends Omit<CodeViewProps, "buffer" | "headContent"> {
  /** The open file; null when none is. */
  buffer: Buffer | null;
}

/** What the editor shows of the open file: Monaco, or why not (none open, loading, binary, a conflict). */
export function EditorContent({ buffer, ...props }: EditorContentProps) {
  const { projectId, actions, theme } = props;
  const head = useHeadFile(projectId, buffer && !buffer.binary ? buffer.path : null);
  if (!buffer) {
    return (
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
  }
  const { path } = buffer;
  const idle = buffer.streaming === null;
  if (idle && buffer.status === "loading") return <Spinner label={`Opening ${path}…`} />;
  if (idle && buffer.status === "error") {
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-2 p-6 text-center text-sm">
        <RetryError message={buffer.error} onRetry={() => actions.open(path)} />
      </div>
    );
  }
  if (buffer.binary) {
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-2 p-6 text-center text-sm text-muted-foreground">
        <p>This is a binary file; it is not shown in the editor.</p>
        <a
          className="underline"
          href={`/api/files/${projectId}?path=${encodeURIComponent(path)}&raw=1`}
          target="_blank"
          rel="noreferrer"
        >
          Open it in a new tab
        </a>
      </div>
    );
  }
  if (idle && buffer.status === "conflict") {
    return (
      <ConflictView
        key={path}
        buffer={buffer}
        theme={theme}
        onResolve={(r) => actions.resolve(path, r)}
      />
    );
  }
  return <CodeView buffer={buffer} headContent={head.data ?? null} {...props} />;
}
