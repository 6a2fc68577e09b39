import { FilePlus2 } from "lucide-react";
import { useContext, useState, useSyncExternalStore } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/api/errors";
import { fetchFileOrNull, writeFile } from "@/features/editor/api";
import { WorkspaceContext } from "@/features/workspace/context";
import type { CodeFile } from "./codePath";

type Step =
  { kind: "idle" } | { kind: "confirm"; etag: string } | { kind: "busy" } | { kind: "written" };

// Blocks already written, shared by every rendering of the same block: a reply is
// rendered anew when the chat refreshes (the streamed view gives way to the stored one),
// possibly while a write started from the old rendering is still under way.
const writtenBlocks = new Set<string>();
const listeners = new Set<() => void>();
const blockKey = (projectId: string, file: CodeFile) =>
  `${projectId}\0${file.path}\0${file.content}`;
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
function markWritten(key: string): void {
  writtenBlocks.add(key);
  for (const listener of listeners) listener();
}

/**
 * "Write to <path>" under a code block that names its file (see `codeBlockFile`): the
 * code the model put in the chat goes into the project as the person's own change. An
 * existing file is only replaced after a confirmation, and only the version that was
 * read (ETag), so nothing written meanwhile is overwritten.
 */
export function CodeFileAction({ file }: { file: CodeFile }) {
  const workspace = useContext(WorkspaceContext);
  const projectId = workspace?.project.id ?? "";
  const key = blockKey(projectId, file);
  const written = useSyncExternalStore(subscribe, () => writtenBlocks.has(key));
  const [localStep, setStep] = useState<Step>({ kind: "idle" });
  if (!workspace) return null;
  const step: Step = written ? { kind: "written" } : localStep;
  const done = () => {
    markWritten(key);
    setStep({ kind: "idle" });
  };

  const write = async (etag: string | null) => {
    setStep({ kind: "busy" });
    try {
      await writeFile(projectId, file.path, file.content, etag);
      done();
      toast.success(`Wrote ${file.path}`);
    } catch (error) {
      setStep({ kind: "idle" });
      toast.error(`Could not write ${file.path}: ${errorMessage(error)}`);
    }
  };

  const start = async () => {
    setStep({ kind: "busy" });
    try {
      const current = await fetchFileOrNull(projectId, file.path);
      if (current === null) {
        await write(null);
        return;
      }
      if (current.content === file.content) {
        done();
        toast.info(`${file.path} already has this content.`);
        return;
      }
      setStep({ kind: "confirm", etag: current.etag });
    } catch (error) {
      setStep({ kind: "idle" });
      toast.error(`Could not read ${file.path}: ${errorMessage(error)}`);
    }
  };

  return (
    <div
      className="flex flex-wrap items-center gap-2 border-t px-2 py-1.5 text-xs"
      data-testid="code-file-action"
      data-path={file.path}
    >
      {step.kind === "confirm" ? (
        <>
          <span className="text-muted-foreground">
            Replace the existing <code>{file.path}</code>? Its saved versions stay in the history.
          </span>
          <Button size="sm" variant="destructive" onClick={() => void write(step.etag)}>
            Replace
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setStep({ kind: "idle" })}>
            Cancel
          </Button>
        </>
      ) : (
        <Button
          size="sm"
          variant="ghost"
          disabled={step.kind === "busy"}
          onClick={() => void start()}
        >
          <FilePlus2 />
          {step.kind === "written" ? `Written to ${file.path}` : `Write to ${file.path}`}
        </Button>
      )}
    </div>
  );
}
