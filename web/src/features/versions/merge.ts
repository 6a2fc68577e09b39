/** Reading the answers of branch merges (pure helpers, tested). */
import { ApiError } from "@/api/errors";
import type { components } from "@/api/schema";

type MergeRead = components["schemas"]["MergeRead"];

/** A merge the server refused because both branches changed the same lines (409). */
export interface MergeConflictReport {
  source: string;
  files: string[];
  detail: string;
}

export type MergeOutcome =
  | { kind: "merged"; source: string; result: MergeRead }
  | ({ kind: "conflict" } & MergeConflictReport);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The conflict report in an error answer (`409 {"error": "MergeConflict", "detail", "files"}`),
 * or null for any other answer (which stays an ordinary error).
 */
export function conflictOf(
  status: number,
  body: unknown,
  source: string,
): MergeConflictReport | null {
  if (status !== 409 || !isRecord(body) || body.error !== "MergeConflict") return null;
  const files = Array.isArray(body.files)
    ? body.files.filter((f): f is string => typeof f === "string")
    : [];
  const detail = typeof body.detail === "string" ? body.detail : "";
  return { source, files, detail };
}

/** What a successful merge did, in a sentence for a toast. */
export function mergeSummary(result: MergeRead, source: string, into: string): string {
  const saved = result.saved ? " Your unsaved changes were saved as a version first." : "";
  if (result.up_to_date)
    return `${into} already has every version of ${source}: nothing to merge.${saved}`;
  if (result.fast_forward || !result.version)
    return `${into} now has the versions of ${source}.${saved}`;
  return `Merged ${source} into ${into} as version ${result.version.short_hash}.${saved}`;
}

/** True when a branch delete was refused because its versions would be lost (retry with force). */
export function isUnmergedRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.code === "BranchNotMerged";
}
