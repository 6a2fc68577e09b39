/** Pure helpers over the project's file tree: paths, moves, renames and quick open. */

export interface TreeNode {
  name: string;
  path: string;
  type: "file" | "dir" | "symlink";
  size: number;
  children?: TreeNode[];
}

export interface VisibleRow {
  node: TreeNode;
  depth: number;
}

export function baseName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

/** The folder holding `path` ("" at the root). */
export function parentDir(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** True when `path` is `dir` itself or anything inside it. */
export function isSameOrInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** Folders first, then names in a natural, case-insensitive order (at every level). */
export function sortTree(node: TreeNode): TreeNode {
  if (!node.children) return node;
  const children = node.children.map(sortTree).sort((a, b) => {
    const aDir = a.type === "dir" ? 0 : 1;
    const bDir = b.type === "dir" ? 0 : 1;
    return (
      aDir - bDir || a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: "base" })
    );
  });
  return { ...node, children };
}

/** Every file path under `node`, in tree order. */
export function listFiles(node: TreeNode): string[] {
  if (node.type !== "dir") return [node.path];
  return (node.children ?? []).flatMap(listFiles);
}

/** The rows a tree view shows: children of expanded folders only. */
export function visibleRows(root: TreeNode, expanded: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const walk = (node: TreeNode, depth: number) => {
    for (const child of node.children ?? []) {
      rows.push({ node: child, depth });
      if (child.type === "dir" && expanded.has(child.path)) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/** The folders to expand so that `path` is visible. */
export function ancestors(path: string): string[] {
  const parts = path.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * Where dropping `source` onto the folder `targetDir` moves it, or null when the drop
 * means nothing (same folder) or is impossible (a folder into itself or its children).
 */
export function moveTarget(source: string, targetDir: string): string | null {
  if (parentDir(source) === targetDir) return null;
  if (isSameOrInside(targetDir, source)) return null;
  return joinPath(targetDir, baseName(source));
}

/** A path after `from` was renamed to `to` (a file or a folder); null if unaffected. */
export function remapPath(path: string, from: string, to: string): string | null {
  if (path === from) return to;
  if (path.startsWith(`${from}/`)) return to + path.slice(from.length);
  return null;
}

/** Why a new file or folder name is not acceptable, or null when it is. */
export function nameError(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return "Enter a name.";
  if (trimmed.startsWith("/")) return "Use a path inside the project.";
  const parts = trimmed.split("/");
  if (parts.some((p) => p === "" || p === "." || p === ".."))
    return "Folder names cannot be empty, '.' or '..'.";
  if (trimmed.includes("\\")) return "Use '/' between folders.";
  return null;
}

/** Whether the tree already holds `path`. */
export function hasPath(root: TreeNode, path: string): boolean {
  if (root.path === path) return true;
  return (root.children ?? []).some(
    (child) => isSameOrInside(path, child.path) && hasPath(child, path),
  );
}

/**
 * Subsequence match for "go to file": every query character appears in order. Lower is
 * better: matches in the file name and consecutive runs score best; null when no match.
 */
export function fuzzyScore(query: string, path: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, "");
  if (!q) return 0;
  const p = path.toLowerCase();
  const nameStart = p.lastIndexOf("/") + 1;
  let score = 0;
  let last = -1;
  for (const ch of q) {
    const found = p.indexOf(ch, last + 1);
    if (found < 0) return null;
    score += found - last - 1; // gaps cost
    if (found < nameStart) score += 2; // matching in the folders costs more than in the name
    last = found;
  }
  if (baseName(p).startsWith(q)) score -= 100;
  else if (baseName(p).includes(q)) score -= 50;
  return score + p.length / 100;
}

export function quickOpen(query: string, paths: readonly string[], limit = 50): string[] {
  const scored: { path: string; score: number }[] = [];
  for (const path of paths) {
    const score = fuzzyScore(query, path);
    if (score !== null) scored.push({ path, score });
  }
  scored.sort((a, b) => a.score - b.score || a.path.localeCompare(b.path));
  return scored.slice(0, limit).map((s) => s.path);
}
