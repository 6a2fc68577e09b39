import type { EditorSettings } from "./api";
import type { Buffer } from "./lib/buffers";

function statusText(buffer: Buffer): string {
  if (buffer.streaming !== null) return "AI is writing…";
  switch (buffer.status) {
    case "loading":
      return "Loading…";
    case "clean":
      return "Saved";
    case "dirty":
      return buffer.error ? "Not saved" : "Unsaved changes";
    case "saving":
      return "Saving…";
    case "conflict":
      return "Conflict";
    case "error":
      return "Could not open";
  }
}

/** Under the open file: whether it is saved (or why not), the cursor, autosave. */
export function EditorStatusBar({
  buffer,
  cursor,
  settings,
}: {
  buffer: Buffer;
  cursor: { line: number; column: number } | null;
  settings: EditorSettings;
}) {
  return (
    <div
      data-testid="editor-status"
      className="flex h-6 shrink-0 items-center gap-3 border-t px-3 text-xs text-muted-foreground"
      aria-live="polite"
    >
      <span data-testid="editor-save-status">{statusText(buffer)}</span>
      {buffer.error && buffer.status === "dirty" && (
        <span className="text-destructive">{buffer.error}</span>
      )}
      <span className="ml-auto">{cursor ? `Ln ${cursor.line}, Col ${cursor.column}` : ""}</span>
      <span>{settings.auto_save ? "Autosave on" : "Autosave off"}</span>
    </div>
  );
}
