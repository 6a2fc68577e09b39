import type { Version } from "./api";
import type { DiffRequest } from "./VersionDiffDialog";

/** Git's empty tree: the "parent" of a project's first version. */
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/** What one version changed: from its first parent (or nothing) to it. */
export function changesOf(version: Version): DiffRequest {
  return {
    from: version.parents[0] ?? EMPTY_TREE,
    to: version.hash,
    title: version.description.split("\n")[0] ?? version.short_hash,
  };
}

/** Two picked versions compared older first, whatever order they were picked in. */
export function comparison(versions: Version[], picked: string[]): DiffRequest | null {
  const position = (hash: string) => versions.findIndex((v) => v.hash === hash);
  const [a, b] = [...picked].sort((x, y) => position(y) - position(x));
  if (!a || !b) return null;
  return { from: a, to: b, title: `Compare ${a.slice(0, 7)} and ${b.slice(0, 7)}` };
}
