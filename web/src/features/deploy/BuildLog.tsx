import { Loader2 } from "lucide-react";
import { useEffect, useRef } from "react";
import type { Deployment } from "@/api/types";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { shortSha } from "./api";
import { useBuildLog } from "./useBuildLog";

/** The build log of one deployment, following the build while it runs. */
export function BuildLog({
  projectId,
  deployment,
  bus,
}: {
  projectId: string;
  deployment: Deployment;
  bus: WorkspaceBus;
}) {
  const { text, error, following } = useBuildLog(projectId, deployment, bus);
  const box = useRef<HTMLPreElement>(null);

  // While the build runs, keep the newest lines in view.
  useEffect(() => {
    const el = box.current;
    if (el && following) el.scrollTop = el.scrollHeight;
  }, [text, following]);

  return (
    <section className="grid min-h-0 gap-1.5" aria-label="Build log">
      <h3 className="flex items-center gap-1.5 text-xs font-medium text-muted-foreground">
        Build log · version {shortSha(deployment.commit_sha)}
        {following && <Loader2 className="size-3 animate-spin" aria-label="Following the build" />}
      </h3>
      {error ? (
        <p className="text-xs text-destructive">Could not read the log: {error}</p>
      ) : (
        <pre
          ref={box}
          data-testid="deploy-build-log"
          tabIndex={0}
          className="max-h-72 min-h-16 overflow-auto rounded-md border bg-muted/50 p-2 font-mono text-[11px] leading-relaxed whitespace-pre"
        >
          {text || (following ? "Waiting for the build to start…" : "(empty log)")}
        </pre>
      )}
    </section>
  );
}
