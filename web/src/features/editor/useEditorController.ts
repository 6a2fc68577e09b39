/**
 * The editor's open files: loading, saving (with ETags), autosave, format on save,
 * conflicts, and what the workspace bus says (AI streaming, server file changes,
 * "open this file").
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { useLatest } from "@/lib/hooks";
import {
  fetchFile,
  fetchFileOrNull,
  isConflict,
  treeKey,
  writeFile,
  type EditorSettings,
} from "./api";
import {
  editorReducer,
  hasUnsavedChanges,
  initialEditorState,
  type EditorAction,
  type EditorState,
  type Resolution,
} from "./lib/buffers";
import { createKeyedDebouncer } from "./lib/debounce";
import { formatText } from "./lib/format";
import { isSameOrInside } from "./lib/tree";

export interface EditorStore {
  getState: () => EditorState;
  dispatch: (action: EditorAction) => void;
  subscribe: (listener: () => void) => () => void;
}

export function createEditorStore(): EditorStore {
  let state = initialEditorState;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = editorReducer(state, action);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Where to put the cursor once a file opened from `editor:open` is shown. */
export interface RevealRequest {
  path: string;
  line: number;
  seq: number;
}

function pathsOf(data: Record<string, unknown>): string[] {
  const paths = Array.isArray(data.paths)
    ? data.paths.filter((p): p is string => typeof p === "string")
    : [];
  if (paths.length) return paths;
  return typeof data.path === "string" ? [data.path] : [];
}

export function useEditorController(
  projectId: string,
  bus: WorkspaceBus,
  settings: EditorSettings,
) {
  const queryClient = useQueryClient();
  const [store] = useState(createEditorStore);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [reveal, setReveal] = useState<RevealRequest | null>(null);
  const settingsRef = useLatest(settings);

  const load = useCallback(
    async (path: string) => {
      try {
        const file = await fetchFile(projectId, path);
        const binary = file.encoding !== "utf-8";
        store.dispatch({
          type: "loaded",
          path,
          content: binary ? "" : file.content,
          etag: file.etag,
          binary,
        });
      } catch (error) {
        store.dispatch({ type: "load-failed", path, error: errorMessage(error) });
      }
    },
    [projectId, store],
  );

  const open = useCallback(
    (path: string, line?: number) => {
      const existing = store.getState().buffers[path];
      store.dispatch({ type: "open", path });
      if (!existing || existing.status === "error") void load(path);
      if (line !== undefined) setReveal((r) => ({ path, line, seq: (r?.seq ?? 0) + 1 }));
    },
    [load, store],
  );

  /** Re-read a file changed elsewhere; unsaved edits turn into a conflict, never lost. */
  const reloadFromServer = useCallback(
    async (path: string) => {
      try {
        const file = await fetchFileOrNull(projectId, path);
        if (file === null) {
          const buffer = store.getState().buffers[path];
          if (buffer && !hasUnsavedChanges(buffer)) store.dispatch({ type: "close", path });
          else store.dispatch({ type: "remote-deleted", path });
        } else if (file.encoding === "utf-8") {
          store.dispatch({ type: "remote", path, content: file.content, etag: file.etag });
        }
      } catch {
        // The next change event or a manual reload gets it.
      }
    },
    [projectId, store],
  );

  const save = useCallback(
    async (path: string) => {
      let buffer = store.getState().buffers[path];
      if (buffer?.status !== "dirty" || buffer.streaming !== null) return;
      if (settingsRef.current.format_on_save) {
        try {
          const formatted = await formatText(path, buffer.value, settingsRef.current.tab_size);
          store.dispatch({ type: "edit", path, value: formatted });
        } catch (error) {
          toast.error(`Not formatted: ${errorMessage(error).split("\n")[0] ?? ""}`);
        }
      }
      store.dispatch({ type: "save-start", path });
      buffer = store.getState().buffers[path];
      if (buffer?.status !== "saving" || buffer.saving === null) return;
      try {
        const written = await writeFile(projectId, path, buffer.saving, buffer.etag);
        store.dispatch({ type: "saved", path, etag: written.etag });
        if (written.created) void queryClient.invalidateQueries({ queryKey: treeKey(projectId) });
      } catch (error) {
        if (isConflict(error)) {
          const theirs = await fetchFileOrNull(projectId, path).catch(() => null);
          store.dispatch({
            type: "save-conflict",
            path,
            theirs: theirs?.content ?? null,
            theirsEtag: theirs?.etag ?? null,
          });
        } else {
          store.dispatch({ type: "save-failed", path, error: errorMessage(error) });
          toast.error(`Could not save ${path}: ${errorMessage(error)}`);
        }
      }
    },
    [projectId, queryClient, store, settingsRef],
  );

  const saveRef = useLatest(save);
  const [autosave] = useState(() =>
    createKeyedDebouncer((path) => void saveRef.current(path), settings.auto_save_delay_ms),
  );
  useEffect(
    () => autosave.setDelay(settings.auto_save_delay_ms),
    [autosave, settings.auto_save_delay_ms],
  );
  useEffect(() => {
    if (!settings.auto_save) autosave.cancel();
  }, [autosave, settings.auto_save]);
  useEffect(() => () => autosave.flush(), [autosave]);

  const edit = useCallback(
    (path: string, value: string) => {
      const buffer = store.getState().buffers[path];
      if (buffer?.streaming !== null) return;
      store.dispatch({ type: "edit", path, value });
      if (settingsRef.current.auto_save && store.getState().buffers[path]?.status === "dirty")
        autosave.schedule(path);
    },
    [autosave, store, settingsRef],
  );

  const saveNow = useCallback(
    (path: string) => {
      autosave.cancel(path);
      void save(path);
    },
    [autosave, save],
  );

  const close = useCallback(
    (path: string) => {
      const buffer = store.getState().buffers[path];
      if (
        buffer &&
        hasUnsavedChanges(buffer) &&
        !window.confirm(`${path} has unsaved changes. Close it anyway?`)
      )
        return;
      autosave.cancel(path);
      store.dispatch({ type: "close", path });
    },
    [autosave, store],
  );

  const resolve = useCallback(
    (path: string, resolution: Resolution) => {
      store.dispatch({ type: "resolve", path, resolution });
      if (resolution.kind !== "theirs") void save(path);
    },
    [save, store],
  );

  /** After a rename or move in the tree: tabs follow; a deleted path closes its tabs. */
  const renamed = useCallback(
    (from: string, to: string) => store.dispatch({ type: "renamed", from, to }),
    [store],
  );
  const deleted = useCallback(
    (path: string) => {
      for (const open of store.getState().tabs) {
        if (isSameOrInside(open, path)) {
          autosave.cancel(open);
          store.dispatch({ type: "close", path: open });
        }
      }
    },
    [autosave, store],
  );

  useEffect(
    () =>
      bus.subscribe((event) => {
        switch (event.type) {
          case "ai:file-streaming":
            store.dispatch({ type: "stream", path: event.path, content: event.content });
            break;
          case "ai:file-done": {
            const buffer = store.getState().buffers[event.path];
            store.dispatch({ type: "stream-done", path: event.path });
            if (buffer) void reloadFromServer(event.path);
            break;
          }
          case "ai:turn-done":
            void queryClient.invalidateQueries({ queryKey: treeKey(projectId) });
            break;
          case "editor:open":
            open(event.path, event.line);
            break;
          case "server": {
            if (event.event !== "file:updated") break;
            void queryClient.invalidateQueries({ queryKey: treeKey(projectId) });
            const changed = pathsOf(event.data);
            for (const path of store.getState().tabs) {
              if (changed.some((c) => isSameOrInside(path, c))) void reloadFromServer(path);
            }
            break;
          }
        }
      }),
    [bus, open, projectId, queryClient, reloadFromServer, store],
  );

  // Unsaved edits survive a reload only if the person agrees to lose them.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (Object.values(store.getState().buffers).some(hasUnsavedChanges)) e.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [store]);

  const actions = useMemo(
    () => ({
      open,
      close,
      edit,
      save: saveNow,
      resolve,
      renamed,
      deleted,
      reload: reloadFromServer,
      activate: (path: string) => store.dispatch({ type: "activate", path }),
    }),
    [open, close, edit, saveNow, resolve, renamed, deleted, reloadFromServer, store],
  );
  return { state, actions, reveal };
}

export type EditorActions = ReturnType<typeof useEditorController>["actions"];
