import { Bot } from "lucide-react";
import { lazy, Suspense } from "react";
import type { EditorSettings } from "./api";
import type { Buffer } from "./lib/buffers";
import type { CodeFile } from "./monaco/projectModels";
import { Spinner } from "./Spinner";
import type { EditorActions, RevealRequest } from "./useEditorController";

// Monaco is a few MB: it loads with the first file shown, never with the dashboard.
const CodeEditor = lazy(() => import("./monaco/CodeEditor"));

export interface CodeViewProps {
  projectId: string;
  buffer: Buffer;
  files: readonly CodeFile[];
  settings: EditorSettings;
  theme: "vs" | "vs-dark";
  /** The file at the last version ("" when new since); null hides the change gutter. */
  headContent: string | null;
  reveal: RevealRequest | null;
  actions: EditorActions;
  onQuickOpen: () => void;
  onCursor: (line: number, column: number) => void;
}

/** Monaco on the open file, read-only while the AI writes it, with the change gutter. */
export function CodeView({ projectId, buffer, actions, ...editor }: CodeViewProps) {
  const { path } = buffer;
  return (
    <>
      {buffer.streaming !== null && (
        <div
          role="status"
          className="flex items-center gap-2 border-b bg-violet-500/10 px-3 py-1.5 text-xs"
        >
          <Bot className="size-3.5 text-violet-600" aria-hidden />
          The AI is writing this file. It becomes editable when it is done.
        </div>
      )}
      <div className="min-h-0 flex-1" data-testid="code-editor" data-path={path}>
        <Suspense fallback={<Spinner label="Loading editor…" />}>
          <CodeEditor
            projectId={projectId}
            path={path}
            value={buffer.streaming ?? buffer.value}
            readOnly={buffer.streaming !== null}
            onChange={(value) => actions.edit(path, value)}
            onSave={() => actions.save(path)}
            {...editor}
          />
        </Suspense>
      </div>
    </>
  );
}
