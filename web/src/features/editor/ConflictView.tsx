import { AlertTriangle } from "lucide-react";
import { lazy, Suspense, useRef } from "react";
import { Button } from "@/components/ui/button";
import type { Buffer, Resolution } from "./lib/buffers";
import { Spinner } from "./Spinner";

const DiffView = lazy(() => import("./monaco/DiffView"));

interface ModifiedSide {
  getModifiedEditor: () => { getValue: () => string };
}

/**
 * Both sides of a conflict, side by side: the server's version on the left, the
 * person's edits on the right (editable, for a merge by hand). Nothing is lost until
 * one of the three choices is made.
 */
export function ConflictView({
  buffer,
  theme,
  onResolve,
}: {
  buffer: Buffer;
  theme: "vs" | "vs-dark";
  onResolve: (r: Resolution) => void;
}) {
  const diff = useRef<ModifiedSide | null>(null);
  const theirs = buffer.conflict?.theirs ?? null;
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="conflict-view">
      <div
        role="alert"
        className="flex flex-wrap items-center gap-2 border-b bg-amber-500/10 px-3 py-2 text-sm"
      >
        <AlertTriangle className="size-4 text-amber-600" aria-hidden />
        <p className="mr-auto">
          {theirs === null
            ? `${buffer.path} was deleted while you were editing it.`
            : `${buffer.path} changed while you were editing it. Left: the saved version. Right: yours (editable).`}
        </p>
        <Button
          size="sm"
          variant="outline"
          onClick={() => onResolve({ kind: "theirs" })}
          disabled={theirs === null}
        >
          Take theirs
        </Button>
        <Button
          size="sm"
          variant="outline"
          onClick={() => {
            const merged = diff.current?.getModifiedEditor().getValue();
            if (merged !== undefined) onResolve({ kind: "merged", value: merged });
          }}
        >
          Save my merge
        </Button>
        <Button size="sm" onClick={() => onResolve({ kind: "mine" })}>
          Keep mine
        </Button>
      </div>
      <div className="min-h-0 flex-1">
        <Suspense fallback={<Spinner label="Loading diff…" />}>
          <DiffView
            path={buffer.path}
            scope="conflict"
            original={theirs ?? ""}
            modified={buffer.value}
            theme={theme}
            editable
            onMount={(editor) => {
              diff.current = editor;
            }}
          />
        </Suspense>
      </div>
    </div>
  );
}
