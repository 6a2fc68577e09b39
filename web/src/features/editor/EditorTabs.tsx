import { ChevronRight, X } from "lucide-react";
import { cn } from "@/lib/utils";
import type { Buffer, EditorState } from "./lib/buffers";
import { baseName } from "./lib/tree";

function marker(buffer: Buffer): { label: string; className: string } | null {
  if (buffer.streaming !== null)
    return { label: "AI is writing", className: "bg-violet-500 animate-pulse" };
  if (buffer.status === "conflict") return { label: "conflict", className: "bg-amber-500" };
  if (buffer.status === "dirty" || buffer.status === "saving")
    return { label: "unsaved", className: "bg-foreground/70" };
  return null;
}

/** Open files; a dot marks unsaved edits (amber: a conflict, violet: the AI is writing). */
export function EditorTabs({
  state,
  onActivate,
  onClose,
}: {
  state: EditorState;
  onActivate: (p: string) => void;
  onClose: (p: string) => void;
}) {
  if (state.tabs.length === 0) return null;
  return (
    <div
      role="tablist"
      aria-label="Open files"
      className="flex h-9 shrink-0 overflow-x-auto border-b bg-muted/30"
    >
      {state.tabs.map((path) => {
        const buffer = state.buffers[path];
        if (!buffer) return null;
        const active = path === state.active;
        const mark = marker(buffer);
        return (
          <div
            key={path}
            data-testid="editor-tab"
            data-path={path}
            data-status={buffer.status}
            className={cn(
              "group flex shrink-0 items-center gap-1 border-r pr-1 pl-3 text-sm",
              active
                ? "bg-background text-foreground"
                : "text-muted-foreground hover:bg-background/60",
            )}
            title={path}
          >
            <button
              type="button"
              role="tab"
              aria-selected={active}
              onClick={() => onActivate(path)}
              onAuxClick={(e) => e.button === 1 && onClose(path)}
              className="flex h-full items-center gap-1.5 outline-none focus-visible:underline"
            >
              {baseName(path)}
              {mark && (
                <span
                  className={cn("size-2 rounded-full", mark.className)}
                  aria-label={mark.label}
                  title={mark.label}
                />
              )}
            </button>
            <button
              type="button"
              aria-label={`Close ${baseName(path)}`}
              onClick={() => onClose(path)}
              className="grid size-5 place-items-center rounded opacity-60 hover:bg-accent hover:opacity-100"
            >
              <X className="size-3.5" />
            </button>
          </div>
        );
      })}
    </div>
  );
}

/** The active file's folders; a folder click reveals it in the tree. */
export function Breadcrumbs({ path, onReveal }: { path: string; onReveal: (dir: string) => void }) {
  const parts = path.split("/");
  return (
    <nav
      aria-label="Breadcrumbs"
      className="flex h-7 shrink-0 items-center gap-0.5 overflow-x-auto border-b px-3 text-xs text-muted-foreground"
    >
      {parts.map((part, i) => {
        const last = i === parts.length - 1;
        const dir = parts.slice(0, i + 1).join("/");
        return (
          <span key={dir} className="flex items-center gap-0.5">
            {i > 0 && <ChevronRight className="size-3" aria-hidden />}
            {last ? (
              <span className="text-foreground" aria-current="page">
                {part}
              </span>
            ) : (
              <button
                type="button"
                className="hover:text-foreground hover:underline"
                onClick={() => onReveal(dir)}
              >
                {part}
              </button>
            )}
          </span>
        );
      })}
    </nav>
  );
}
