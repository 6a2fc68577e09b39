import { describe, expect, it } from "vitest";
import {
  editorReducer,
  hasUnsavedChanges,
  initialEditorState,
  type EditorAction,
  type EditorState,
} from "./buffers";

const run = (...actions: EditorAction[]): EditorState =>
  actions.reduce(editorReducer, initialEditorState);
const opened = (content = "one\n"): EditorAction[] => [
  { type: "open", path: "a.ts" },
  { type: "loaded", path: "a.ts", content, etag: "e1", binary: false },
];
const buf = (s: EditorState, path = "a.ts") => {
  const b = s.buffers[path];
  if (!b) throw new Error(`no buffer ${path}`);
  return b;
};

describe("editor buffers", () => {
  it("goes clean → dirty → saving → clean, and back to clean when edits are undone", () => {
    let s = run(...opened());
    expect(buf(s).status).toBe("clean");
    s = editorReducer(s, { type: "edit", path: "a.ts", value: "two\n" });
    expect(buf(s).status).toBe("dirty");
    expect(hasUnsavedChanges(buf(s))).toBe(true);
    s = editorReducer(s, { type: "edit", path: "a.ts", value: "one\n" });
    expect(buf(s).status).toBe("clean");
    s = editorReducer(s, { type: "edit", path: "a.ts", value: "two\n" });
    s = editorReducer(s, { type: "save-start", path: "a.ts" });
    expect(buf(s).status).toBe("saving");
    s = editorReducer(s, { type: "saved", path: "a.ts", etag: "e2" });
    expect(buf(s)).toMatchObject({ status: "clean", etag: "e2", base: "two\n", saving: null });
  });

  it("stays dirty when typing continued during the save", () => {
    let s = run(
      ...opened(),
      { type: "edit", path: "a.ts", value: "two" },
      { type: "save-start", path: "a.ts" },
    );
    s = editorReducer(s, { type: "edit", path: "a.ts", value: "three" });
    s = editorReducer(s, { type: "saved", path: "a.ts", etag: "e2" });
    expect(buf(s)).toMatchObject({ status: "dirty", base: "two", value: "three", etag: "e2" });
  });

  it("reloads a clean file changed on the server, and ignores its own save echoing back", () => {
    let s = run(...opened());
    s = editorReducer(s, { type: "remote", path: "a.ts", content: "ai wrote\n", etag: "e9" });
    expect(buf(s)).toMatchObject({ status: "clean", value: "ai wrote\n", etag: "e9" });
    const same = editorReducer(s, {
      type: "remote",
      path: "a.ts",
      content: "ai wrote\n",
      etag: "e9",
    });
    expect(same).toBe(s);
  });

  it("never overwrites unsaved edits: a remote change becomes a conflict with both sides", () => {
    let s = run(...opened(), { type: "edit", path: "a.ts", value: "mine\n" });
    s = editorReducer(s, { type: "remote", path: "a.ts", content: "theirs\n", etag: "e5" });
    expect(buf(s)).toMatchObject({
      status: "conflict",
      value: "mine\n",
      conflict: { theirs: "theirs\n", theirsEtag: "e5" },
    });
    // the same text on both sides is no conflict
    let t = run(...opened(), { type: "edit", path: "a.ts", value: "same\n" });
    t = editorReducer(t, { type: "remote", path: "a.ts", content: "same\n", etag: "e5" });
    expect(buf(t)).toMatchObject({ status: "clean", etag: "e5" });
  });

  it("turns a refused save (412) into a conflict", () => {
    let s = run(
      ...opened(),
      { type: "edit", path: "a.ts", value: "mine" },
      { type: "save-start", path: "a.ts" },
    );
    s = editorReducer(s, { type: "remote", path: "a.ts", content: "theirs", etag: "e5" }); // waits for the 412
    expect(buf(s).status).toBe("saving");
    s = editorReducer(s, {
      type: "save-conflict",
      path: "a.ts",
      theirs: "theirs",
      theirsEtag: "e5",
    });
    expect(buf(s)).toMatchObject({ status: "conflict", value: "mine", saving: null });
  });

  it("resolves a conflict by keeping mine (saved over theirs), taking theirs, or a merge", () => {
    const conflicted = run(
      ...opened("base"),
      { type: "edit", path: "a.ts", value: "mine" },
      { type: "remote", path: "a.ts", content: "theirs", etag: "e5" },
    );
    const mine = editorReducer(conflicted, {
      type: "resolve",
      path: "a.ts",
      resolution: { kind: "mine" },
    });
    expect(buf(mine)).toMatchObject({
      status: "dirty",
      value: "mine",
      base: "theirs",
      etag: "e5",
      conflict: null,
    });
    const theirs = editorReducer(conflicted, {
      type: "resolve",
      path: "a.ts",
      resolution: { kind: "theirs" },
    });
    expect(buf(theirs)).toMatchObject({ status: "clean", value: "theirs", etag: "e5" });
    const merged = editorReducer(conflicted, {
      type: "resolve",
      path: "a.ts",
      resolution: { kind: "merged", value: "mine+theirs" },
    });
    expect(buf(merged)).toMatchObject({ status: "dirty", value: "mine+theirs", etag: "e5" });
  });

  it("keeps edits when the file is deleted on the server (keep mine re-creates it)", () => {
    let s = run(
      ...opened(),
      { type: "edit", path: "a.ts", value: "mine" },
      { type: "remote-deleted", path: "a.ts" },
    );
    expect(buf(s)).toMatchObject({
      status: "conflict",
      conflict: { theirs: null, theirsEtag: null },
    });
    s = editorReducer(s, { type: "resolve", path: "a.ts", resolution: { kind: "mine" } });
    expect(buf(s)).toMatchObject({ status: "dirty", value: "mine", etag: null });
  });

  it("shows the AI's streaming content read-only until done, opening the file if needed", () => {
    let s = editorReducer(initialEditorState, { type: "stream", path: "new.ts", content: "exp" });
    expect(s.active).toBe("new.ts");
    expect(buf(s, "new.ts")).toMatchObject({ streaming: "exp", status: "loading" });
    s = editorReducer(s, { type: "stream", path: "new.ts", content: "export const a = 1;" });
    s = editorReducer(s, { type: "stream-done", path: "new.ts" });
    expect(buf(s, "new.ts").streaming).toBeNull();
    s = editorReducer(s, {
      type: "remote",
      path: "new.ts",
      content: "export const a = 1;\n",
      etag: "x",
    });
    expect(buf(s, "new.ts")).toMatchObject({ status: "clean", value: "export const a = 1;\n" });
  });

  it("closes tabs, moving focus to the neighbour, and follows renames of files and folders", () => {
    let s = run(
      { type: "open", path: "src/a.ts" },
      { type: "open", path: "src/b.ts" },
      { type: "open", path: "c.ts" },
      { type: "activate", path: "src/b.ts" },
    );
    s = editorReducer(s, { type: "renamed", from: "src", to: "lib" });
    expect(s.tabs).toEqual(["lib/a.ts", "lib/b.ts", "c.ts"]);
    expect(s.active).toBe("lib/b.ts");
    expect(buf(s, "lib/b.ts").path).toBe("lib/b.ts");
    s = editorReducer(s, { type: "close", path: "lib/b.ts" });
    expect(s.tabs).toEqual(["lib/a.ts", "c.ts"]);
    expect(s.active).toBe("c.ts");
  });
});
