import { describe, expect, it } from "vitest";
import {
  ancestors,
  hasPath,
  listFiles,
  moveTarget,
  nameError,
  quickOpen,
  remapPath,
  sortTree,
  visibleRows,
  type TreeNode,
} from "./tree";

const file = (path: string): TreeNode => ({
  name: path.split("/").pop() ?? path,
  path,
  type: "file",
  size: 1,
});
const dir = (path: string, children: TreeNode[]): TreeNode => ({
  name: path.split("/").pop() ?? path,
  path,
  type: "dir",
  size: 0,
  children,
});

const root = dir("", [
  file("index.html"),
  dir("src", [file("src/main.ts"), dir("src/lib", [file("src/lib/util.ts")]), file("src/App.tsx")]),
  file("README.md"),
  dir("assets", []),
]);

describe("tree", () => {
  it("sorts folders first, then names case-insensitively, at every level", () => {
    const sorted = sortTree(root);
    expect(sorted.children?.map((c) => c.name)).toEqual([
      "assets",
      "src",
      "index.html",
      "README.md",
    ]);
    expect(sorted.children?.[1]?.children?.map((c) => c.name)).toEqual([
      "lib",
      "App.tsx",
      "main.ts",
    ]);
  });

  it("lists every file and shows only expanded folders' children", () => {
    expect(listFiles(root)).toEqual([
      "index.html",
      "src/main.ts",
      "src/lib/util.ts",
      "src/App.tsx",
      "README.md",
    ]);
    const sorted = sortTree(root);
    expect(visibleRows(sorted, new Set()).map((r) => r.node.path)).toEqual([
      "assets",
      "src",
      "index.html",
      "README.md",
    ]);
    const rows = visibleRows(sorted, new Set(["src", "src/lib"]));
    expect(rows.map((r) => `${r.depth}:${r.node.path}`)).toEqual([
      "0:assets",
      "0:src",
      "1:src/lib",
      "2:src/lib/util.ts",
      "1:src/App.tsx",
      "1:src/main.ts",
      "0:index.html",
      "0:README.md",
    ]);
    expect(ancestors("src/lib/util.ts")).toEqual(["src", "src/lib"]);
    expect(hasPath(root, "src/lib/util.ts")).toBe(true);
    expect(hasPath(root, "src/lib/nope.ts")).toBe(false);
  });

  it("computes drag-and-drop moves and refuses meaningless or impossible ones", () => {
    expect(moveTarget("src/main.ts", "assets")).toBe("assets/main.ts");
    expect(moveTarget("src/lib", "")).toBe("lib");
    expect(moveTarget("index.html", "src/lib")).toBe("src/lib/index.html");
    expect(moveTarget("src/main.ts", "src")).toBeNull(); // already there
    expect(moveTarget("src", "src/lib")).toBeNull(); // into its own child
    expect(moveTarget("src", "src")).toBeNull();
    expect(moveTarget("src", "srcx")).toBe("srcx/src"); // a sibling sharing the prefix is fine
  });

  it("remaps open paths after a file or a folder is renamed", () => {
    expect(remapPath("src/main.ts", "src/main.ts", "src/index.ts")).toBe("src/index.ts");
    expect(remapPath("src/lib/util.ts", "src", "app")).toBe("app/lib/util.ts");
    expect(remapPath("srcx/a.ts", "src", "app")).toBeNull();
  });

  it("validates new names", () => {
    expect(nameError("")).toMatch(/name/);
    expect(nameError("/etc/passwd")).not.toBeNull();
    expect(nameError("a/../b")).not.toBeNull();
    expect(nameError("a//b")).not.toBeNull();
    expect(nameError("components/Button.tsx")).toBeNull();
  });

  it("quick open ranks name matches before folder matches", () => {
    const paths = ["src/main.ts", "src/lib/util.ts", "src/App.tsx", "main/readme.md", "index.html"];
    expect(quickOpen("main", paths)[0]).toBe("src/main.ts");
    expect(quickOpen("app", paths)).toEqual(["src/App.tsx"]);
    expect(quickOpen("slu", paths)).toContain("src/lib/util.ts");
    expect(quickOpen("zzz", paths)).toEqual([]);
  });
});
