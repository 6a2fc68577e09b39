/**
 * Open files and their save state, as a pure reducer.
 *
 * A buffer is `clean` (the editor shows what the server has at `etag`), `dirty` (edited
 * since), `saving`, or in `conflict`: the file changed on the server (the AI, another tab,
 * a revert) while it had unsaved edits, or a save was refused with 412. A conflict keeps
 * both sides until the person picks one: keep mine, take theirs, or a hand-made merge.
 * While the AI streams a file it is shown read-only (`streaming`), whatever its status.
 */

export type BufferStatus = "loading" | "clean" | "dirty" | "saving" | "conflict" | "error";

export interface Conflict {
  /** The server's content; null when the file was deleted there. */
  theirs: string | null;
  theirsEtag: string | null;
}

export interface Buffer {
  path: string;
  status: BufferStatus;
  /** What the editor shows and a save writes. */
  value: string;
  /** The server's content at `etag` (what `value` is compared with to know it is dirty). */
  base: string;
  /** The version the next save overwrites; null for a file that does not exist yet. */
  etag: string | null;
  /** The value sent by the save in flight. */
  saving: string | null;
  conflict: Conflict | null;
  /** The AI's content while it writes this file (read-only), else null. */
  streaming: string | null;
  binary: boolean;
  error: string | null;
}

export interface EditorState {
  /** Open tabs, in order. */
  tabs: string[];
  active: string | null;
  buffers: Record<string, Buffer>;
}

export type Resolution = { kind: "mine" } | { kind: "theirs" } | { kind: "merged"; value: string };

export type EditorAction =
  | { type: "open"; path: string }
  | { type: "loaded"; path: string; content: string; etag: string; binary: boolean }
  | { type: "load-failed"; path: string; error: string }
  | { type: "edit"; path: string; value: string }
  | { type: "save-start"; path: string }
  | { type: "saved"; path: string; etag: string }
  | { type: "save-conflict"; path: string; theirs: string | null; theirsEtag: string | null }
  | { type: "save-failed"; path: string; error: string }
  | { type: "remote"; path: string; content: string; etag: string }
  | { type: "remote-deleted"; path: string }
  | { type: "resolve"; path: string; resolution: Resolution }
  | { type: "stream"; path: string; content: string }
  | { type: "stream-done"; path: string }
  | { type: "close"; path: string }
  | { type: "activate"; path: string }
  | { type: "renamed"; from: string; to: string };

export const initialEditorState: EditorState = { tabs: [], active: null, buffers: {} };

function emptyBuffer(path: string): Buffer {
  return {
    path,
    status: "loading",
    value: "",
    base: "",
    etag: null,
    saving: null,
    conflict: null,
    streaming: null,
    binary: false,
    error: null,
  };
}

/** Whether closing or reloading would lose edits. */
export function hasUnsavedChanges(buffer: Buffer): boolean {
  return buffer.status === "dirty" || buffer.status === "saving" || buffer.status === "conflict";
}

function statusFor(value: string, base: string): BufferStatus {
  return value === base ? "clean" : "dirty";
}

function update(state: EditorState, path: string, change: (b: Buffer) => Buffer): EditorState {
  const buffer = state.buffers[path];
  if (!buffer) return state;
  const next = change(buffer);
  return next === buffer ? state : { ...state, buffers: { ...state.buffers, [path]: next } };
}

function withTab(state: EditorState, path: string, buffer: Buffer): EditorState {
  return {
    tabs: state.tabs.includes(path) ? state.tabs : [...state.tabs, path],
    active: path,
    buffers: { ...state.buffers, [path]: buffer },
  };
}

function remap(path: string, from: string, to: string): string {
  if (path === from) return to;
  if (path.startsWith(`${from}/`)) return to + path.slice(from.length);
  return path;
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case "open": {
      const existing = state.buffers[action.path];
      if (existing) return { ...state, active: action.path };
      return withTab(state, action.path, emptyBuffer(action.path));
    }
    case "loaded":
      return update(state, action.path, (b) =>
        b.status === "loading" || b.status === "error"
          ? {
              ...b,
              status: "clean",
              value: action.content,
              base: action.content,
              etag: action.etag,
              binary: action.binary,
              error: null,
            }
          : b,
      );
    case "load-failed":
      return update(state, action.path, (b) =>
        b.status === "loading" ? { ...b, status: "error", error: action.error } : b,
      );
    case "edit":
      return update(state, action.path, (b) => {
        if (b.status === "loading" || b.status === "error" || b.binary || b.value === action.value)
          return b;
        if (b.status === "conflict" || b.status === "saving") return { ...b, value: action.value };
        return { ...b, value: action.value, status: statusFor(action.value, b.base), error: null };
      });
    case "save-start":
      return update(state, action.path, (b) =>
        b.status === "dirty" ? { ...b, status: "saving", saving: b.value, error: null } : b,
      );
    case "saved":
      return update(state, action.path, (b) => {
        if (b.status !== "saving" || b.saving === null) return b;
        const base = b.saving;
        return { ...b, base, etag: action.etag, saving: null, status: statusFor(b.value, base) };
      });
    case "save-conflict":
      return update(state, action.path, (b) =>
        b.status === "saving"
          ? {
              ...b,
              status: "conflict",
              saving: null,
              conflict: { theirs: action.theirs, theirsEtag: action.theirsEtag },
            }
          : b,
      );
    case "save-failed":
      return update(state, action.path, (b) =>
        b.status === "saving" ? { ...b, status: "dirty", saving: null, error: action.error } : b,
      );
    case "remote":
      return update(state, action.path, (b) => {
        if (b.status === "loading" || b.status === "error") {
          return {
            ...b,
            status: "clean",
            value: action.content,
            base: action.content,
            etag: action.etag,
            error: null,
          };
        }
        if (b.etag === action.etag && b.status !== "conflict") return b; // our own save coming back
        if (b.status === "clean")
          return { ...b, value: action.content, base: action.content, etag: action.etag };
        if (b.status === "conflict") {
          return { ...b, conflict: { theirs: action.content, theirsEtag: action.etag } };
        }
        // Unsaved edits (or a save in flight, which will be refused): the same text is
        // no conflict at all; different text is, and neither side is dropped.
        if (action.content === b.value && b.status === "dirty") {
          return { ...b, status: "clean", base: action.content, etag: action.etag };
        }
        if (b.status === "saving") return b; // the save answers 412 and carries "theirs"
        return {
          ...b,
          status: "conflict",
          conflict: { theirs: action.content, theirsEtag: action.etag },
        };
      });
    case "remote-deleted":
      return update(state, action.path, (b) => {
        if (b.status === "conflict") return { ...b, conflict: { theirs: null, theirsEtag: null } };
        if (b.status === "dirty")
          return { ...b, status: "conflict", conflict: { theirs: null, theirsEtag: null } };
        return b; // a clean tab is closed by the panel
      });
    case "resolve":
      return update(state, action.path, (b) => {
        if (b.status !== "conflict" || !b.conflict) return b;
        const { theirs, theirsEtag } = b.conflict;
        const base = theirs ?? "";
        const resolved = { ...b, base, etag: theirsEtag, conflict: null, error: null };
        switch (action.resolution.kind) {
          case "mine":
            // Writing over their version (or re-creating a deleted file) on the next save.
            return { ...resolved, status: theirs === null || b.value !== base ? "dirty" : "clean" };
          case "theirs":
            return { ...resolved, value: base, status: "clean" };
          case "merged":
            return {
              ...resolved,
              value: action.resolution.value,
              status: statusFor(action.resolution.value, base),
            };
        }
      });
    case "stream": {
      const existing = state.buffers[action.path];
      if (existing)
        return {
          ...state,
          active: action.path,
          buffers: { ...state.buffers, [action.path]: { ...existing, streaming: action.content } },
        };
      return withTab(state, action.path, {
        ...emptyBuffer(action.path),
        streaming: action.content,
      });
    }
    case "stream-done":
      return update(state, action.path, (b) =>
        b.streaming === null ? b : { ...b, streaming: null },
      );
    case "close": {
      if (!state.buffers[action.path]) return state;
      const index = state.tabs.indexOf(action.path);
      const tabs = state.tabs.filter((t) => t !== action.path);
      const buffers = Object.fromEntries(
        Object.entries(state.buffers).filter(([path]) => path !== action.path),
      );
      const active =
        state.active === action.path
          ? (tabs[Math.min(index, tabs.length - 1)] ?? null)
          : state.active;
      return { tabs, active, buffers };
    }
    case "activate":
      return state.buffers[action.path] ? { ...state, active: action.path } : state;
    case "renamed": {
      const buffers: Record<string, Buffer> = {};
      for (const [path, buffer] of Object.entries(state.buffers)) {
        const next = remap(path, action.from, action.to);
        buffers[next] = next === path ? buffer : { ...buffer, path: next };
      }
      return {
        tabs: state.tabs.map((t) => remap(t, action.from, action.to)),
        active: state.active === null ? null : remap(state.active, action.from, action.to),
        buffers,
      };
    }
  }
}
