import type { PreviewMessage } from "./messages";
import {
  fixPrompt,
  initialPreviewState,
  overlayText,
  previewReducer,
  visibleError,
  type PreviewAction,
} from "./state";

const base = { source: "appwright-preview" as const, url: "http://p.preview.localhost/", time: 1 };
const msg = (m: Record<string, unknown>): PreviewAction => ({
  type: "message",
  message: { ...base, ...m } as PreviewMessage,
});
const run = (actions: PreviewAction[]) => actions.reduce(previewReducer, initialPreviewState);

describe("previewReducer", () => {
  it("logs console output and uncaught errors, and shows the latest error", () => {
    const state = run([
      msg({ type: "ready", title: "t" }),
      msg({ type: "console", level: "log", args: ["hello", { a: 1 }] }),
      msg({ type: "error", message: "boom", filename: "a.js", lineno: 1, colno: 2, stack: "at x" }),
    ]);
    expect(state.console.map((e) => [e.level, e.text])).toEqual([
      ["log", 'hello {"a":1}'],
      ["error", "Uncaught boom"],
    ]);
    expect(visibleError(state)).toMatchObject({
      source: "runtime",
      message: "boom",
      location: "a.js:1:2",
    });
    expect(fixPrompt(visibleError(state) ?? { source: "runtime", message: "" })).toContain("boom");
  });

  it("a dev-server compile error wins until cleared; a new page load forgets runtime errors", () => {
    let state = run([
      msg({ type: "error", message: "boom", filename: "", lineno: 0, colno: 0, stack: "" }),
      {
        type: "server-error",
        data: {
          source: "dev-server",
          message: "Unexpected token",
          file: "src/App.tsx",
          line: 3,
          column: 7,
        },
      },
    ]);
    expect(visibleError(state)).toMatchObject({
      source: "dev-server",
      location: "src/App.tsx:3:7",
    });
    state = previewReducer(state, { type: "server-cleared" });
    expect(visibleError(state)?.message).toBe("boom");
    state = previewReducer(state, msg({ type: "ready", title: "" }));
    expect(visibleError(state)).toBeNull();
  });

  it("keeps the overlay's text without its stylesheet, and skips overlays repeating a known runtime error", () => {
    const raw =
      ":host { all: initial; } /* c */ @media (x) { .a { b: c; } } Unhandled Runtime Error Error: boom Call Stack";
    expect(overlayText(raw)).toBe("Unhandled Runtime Error Error: boom Call Stack");
    const repeated = run([
      msg({ type: "error", message: "boom", filename: "", lineno: 0, colno: 0, stack: "" }),
      msg({ type: "overlay", kind: "nextjs", text: raw }),
    ]);
    expect(repeated.runtimeErrors).toHaveLength(1);
    const compile = run([
      msg({ type: "overlay", kind: "vite", text: "[plugin:vite] Transform failed" }),
    ]);
    expect(visibleError(compile)).toMatchObject({
      source: "overlay",
      message: "[plugin:vite] Transform failed",
    });
  });

  it("dismiss hides the overlay until a new error arrives; clear empties the console", () => {
    let state = run([
      msg({ type: "error", message: "one", filename: "", lineno: 0, colno: 0, stack: "" }),
      { type: "dismiss" },
    ]);
    expect(visibleError(state)).toBeNull();
    state = previewReducer(state, msg({ type: "unhandledrejection", message: "two", stack: "" }));
    expect(visibleError(state)?.message).toBe("two");
    expect(previewReducer(state, { type: "clear-console" }).console).toEqual([]);
  });
});
