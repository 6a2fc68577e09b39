import { ApiError } from "@/api/errors";
import type { Version } from "./api";
import { conflictOf, isUnmergedRefusal, mergeSummary } from "./merge";

const version = { short_hash: "abc1234", files_changed: ["a.txt"] } as Version;

describe("conflictOf", () => {
  it("reads the files of a 409 MergeConflict answer", () => {
    const body = {
      error: "MergeConflict",
      detail: "merging feature conflicts in: a.txt, b/c.css; the merge was aborted",
      files: ["a.txt", "b/c.css"],
    };
    expect(conflictOf(409, body, "feature")).toEqual({
      source: "feature",
      files: ["a.txt", "b/c.css"],
      detail: body.detail,
    });
  });

  it("keeps only string paths and tolerates a missing list", () => {
    expect(conflictOf(409, { error: "MergeConflict", files: ["a", 3, null] }, "f")?.files).toEqual([
      "a",
    ]);
    expect(conflictOf(409, { error: "MergeConflict" }, "f")).toEqual({
      source: "f",
      files: [],
      detail: "",
    });
  });

  it("leaves every other answer an ordinary error", () => {
    expect(conflictOf(409, { error: "BranchExists", detail: "x" }, "f")).toBeNull();
    expect(conflictOf(404, { error: "MergeConflict", files: [] }, "f")).toBeNull();
    expect(conflictOf(200, undefined, "f")).toBeNull();
    expect(conflictOf(409, "MergeConflict", "f")).toBeNull();
  });
});

describe("mergeSummary", () => {
  const result = { version, fast_forward: false, up_to_date: false, saved: null };

  it("names the merge version", () => {
    expect(mergeSummary(result, "feature", "main")).toBe(
      "Merged feature into main as version abc1234.",
    );
  });

  it("says when there was nothing to merge, or a fast-forward", () => {
    expect(mergeSummary({ ...result, version: null, up_to_date: true }, "feature", "main")).toBe(
      "main already has every version of feature: nothing to merge.",
    );
    expect(mergeSummary({ ...result, fast_forward: true }, "feature", "main")).toBe(
      "main now has the versions of feature.",
    );
  });

  it("mentions the unsaved changes saved first", () => {
    expect(mergeSummary({ ...result, saved: version }, "feature", "main")).toContain(
      "unsaved changes were saved as a version first",
    );
  });
});

describe("isUnmergedRefusal", () => {
  it("is true only for the BranchNotMerged refusal", () => {
    expect(
      isUnmergedRefusal(new ApiError({ status: 409, code: "BranchNotMerged", detail: "" })),
    ).toBe(true);
    expect(
      isUnmergedRefusal(
        new ApiError({ status: 409, code: "CannotDeleteCurrentBranch", detail: "" }),
      ),
    ).toBe(false);
    expect(isUnmergedRefusal(new Error("BranchNotMerged"))).toBe(false);
  });
});
