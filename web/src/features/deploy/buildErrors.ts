import type { Deployment } from "@/api/types";

/** One error of a failed build, located in the build log by the server. */
export type BuildError = NonNullable<Deployment["errors"]>[number];

/** A failed deployment's parsed errors (none for one that did not fail at its build). */
export function buildErrors(deployment: Deployment): BuildError[] {
  return deployment.errors ?? [];
}

/** `file:line:column`, as far as it is known. */
export function errorLocation(error: BuildError): string | null {
  if (!error.file) return null;
  if (error.line === null) return error.file;
  return `${error.file}:${error.line}${error.column === null ? "" : `:${error.column}`}`;
}

const MAX_ERRORS = 20;

/** The prompt "Fix with AI" sends for a failed build. */
export function fixBuildPrompt(deployment: Deployment): string {
  const errors = buildErrors(deployment);
  const version = deployment.commit_sha.slice(0, 7);
  const lines = errors.slice(0, MAX_ERRORS).map((e) => {
    const where = errorLocation(e);
    return `- ${where ? `${where}: ` : ""}${e.message.slice(0, 500)}`;
  });
  if (errors.length > MAX_ERRORS) lines.push(`- … and ${errors.length - MAX_ERRORS} more`);
  const summary = deployment.error_summary ? `\n\n${deployment.error_summary.slice(0, 2000)}` : "";
  const list = lines.length > 0 ? `\n\nErrors:\n${lines.join("\n")}` : "";
  return `Publishing version ${version} failed: its production build has errors.${summary}${list}\n\nPlease find the cause and fix it so the app builds.`;
}
