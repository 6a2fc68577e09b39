import { describe, expect, it } from "vitest";
import type { Version } from "./api";
import { changesOf, comparison } from "./diffRequest";

const version = (hash: string, parents: string[], description = `Version ${hash}`) =>
  ({ hash, short_hash: hash.slice(0, 7), parents, description }) as Version;

// Newest first, as the timeline lists them.
const timeline = [
  version("c".repeat(40), ["b".repeat(40)]),
  version("b".repeat(40), ["a".repeat(40)]),
  version("a".repeat(40), []),
];

describe("comparison", () => {
  it("compares the older version to the newer, whatever order they were ticked in", () => {
    const newerFirst = comparison(timeline, ["c".repeat(40), "a".repeat(40)]);
    const olderFirst = comparison(timeline, ["a".repeat(40), "c".repeat(40)]);
    expect(newerFirst).toEqual({
      from: "a".repeat(40),
      to: "c".repeat(40),
      title: "Compare aaaaaaa and ccccccc",
    });
    expect(olderFirst).toEqual(newerFirst);
  });

  it("needs two versions", () => {
    expect(comparison(timeline, ["b".repeat(40)])).toBeNull();
  });
});

describe("changesOf", () => {
  it("shows a version against its parent, titled by its first line", () => {
    const v = version("b".repeat(40), ["a".repeat(40)], "Add a header\n\nAnd a footer");
    expect(changesOf(v)).toEqual({
      from: "a".repeat(40),
      to: "b".repeat(40),
      title: "Add a header",
    });
  });

  it("shows the first version as everything added", () => {
    expect(changesOf(version("a".repeat(40), [])).from).toBe(
      "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    );
  });
});
