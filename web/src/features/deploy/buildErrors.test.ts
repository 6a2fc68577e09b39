import { describe, expect, it } from "vitest";
import type { Deployment } from "@/api/types";
import { buildErrors, errorLocation, fixBuildPrompt } from "./buildErrors";

function deployment(over: Partial<Deployment>): Deployment {
  return {
    id: "d1",
    project_id: "p1",
    target: "local",
    commit_sha: "0123456789abcdef",
    status: "error",
    url: null,
    error_summary: "Type error: the build stopped.",
    created_at: "2026-01-01T00:00:00Z",
    started_at: null,
    finished_at: null,
    errors: [],
    ...over,
  } as Deployment;
}

describe("build errors", () => {
  it("lists each error with where it is in the prompt for the agent", () => {
    const failed = deployment({
      errors: [
        { file: "pages/index.tsx", line: 3, column: 7, message: "'x' is not defined" },
        { file: "lib/a.ts", line: null, column: null, message: "Cannot find module 'b'" },
        { file: null, line: null, column: null, message: "Build failed" },
      ],
    });
    const prompt = fixBuildPrompt(failed);
    expect(prompt).toContain("Publishing version 0123456 failed");
    expect(prompt).toContain("Type error: the build stopped.");
    expect(prompt).toContain("- pages/index.tsx:3:7: 'x' is not defined");
    expect(prompt).toContain("- lib/a.ts: Cannot find module 'b'");
    expect(prompt).toContain("- Build failed");
  });

  it("works without parsed errors (a failure before the build ran)", () => {
    const failed = deployment({ errors: [] });
    expect(buildErrors(failed)).toEqual([]);
    expect(fixBuildPrompt(failed)).not.toContain("Errors:");
  });

  it("says where an error is as far as it is known", () => {
    expect(errorLocation({ file: "a.ts", line: 2, column: null, message: "m" })).toBe("a.ts:2");
    expect(errorLocation({ file: null, line: 2, column: 1, message: "m" })).toBeNull();
  });
});
