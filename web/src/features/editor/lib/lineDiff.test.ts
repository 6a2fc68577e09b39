import { describe, expect, it } from "vitest";
import { diffOps, lineMarks } from "./lineDiff";

const lines = (...l: string[]) => l.join("\n");

describe("lineMarks", () => {
  it("is empty for an unchanged buffer", () => {
    expect(lineMarks("a\nb\n", "a\nb\n")).toEqual([]);
  });

  it("marks added lines", () => {
    expect(lineMarks(lines("a", "b"), lines("a", "x", "y", "b"))).toEqual([
      { kind: "added", startLine: 2, endLine: 3 },
    ]);
    expect(lineMarks(lines("a"), lines("a", "b"))).toEqual([
      { kind: "added", startLine: 2, endLine: 2 },
    ]);
  });

  it("marks modified lines, and the extra lines of a bigger replacement as added", () => {
    expect(lineMarks(lines("a", "b", "c"), lines("a", "B", "c"))).toEqual([
      { kind: "modified", startLine: 2, endLine: 2 },
    ]);
    expect(lineMarks(lines("a", "b", "c"), lines("a", "B1", "B2", "B3", "c"))).toEqual([
      { kind: "modified", startLine: 2, endLine: 2 },
      { kind: "added", startLine: 3, endLine: 4 },
    ]);
  });

  it("marks deletions on the line above (or the first line at the top)", () => {
    expect(lineMarks(lines("a", "b", "c", "d"), lines("a", "d"))).toEqual([
      { kind: "deleted", startLine: 1, endLine: 1 },
    ]);
    expect(lineMarks(lines("a", "b"), lines("b"))).toEqual([
      { kind: "deleted", startLine: 1, endLine: 1 },
    ]);
  });

  it("finds several separate hunks", () => {
    const base = lines("1", "2", "3", "4", "5", "6", "7");
    const now = lines("1", "two", "3", "4", "6", "7", "8");
    expect(lineMarks(base, now)).toEqual([
      { kind: "modified", startLine: 2, endLine: 2 },
      { kind: "deleted", startLine: 4, endLine: 4 },
      { kind: "added", startLine: 7, endLine: 7 },
    ]);
  });

  it("keeps the edit script consistent with both sides", () => {
    const a = ["x", "a", "b", "c", "y"];
    const b = ["a", "c", "d", "y", "z"];
    const ops = diffOps(a, b);
    expect(ops.filter((o) => o !== "+").length).toBe(a.length);
    expect(ops.filter((o) => o !== "-").length).toBe(b.length);
    expect(ops.filter((o) => o === "=").length).toBe(3); // a, c, y
  });

  it("handles a large file quickly", () => {
    const base = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    const now = [...base];
    now[1500] = "changed";
    const started = performance.now();
    expect(lineMarks(base.join("\n"), now.join("\n"))).toEqual([
      { kind: "modified", startLine: 1501, endLine: 1501 },
    ]);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
