import { Sparkles, TriangleAlert } from "lucide-react";
import type { Deployment } from "@/api/types";
import { Button } from "@/components/ui/button";
import { useWorkspace } from "@/features/workspace/context";
import { buildErrors, errorLocation, fixBuildPrompt } from "./buildErrors";

/** A failed build: why, where (each parsed error opens its file), and a request to fix it. */
export function BuildFailure({ deployment }: { deployment: Deployment }) {
  const { bus, askAI } = useWorkspace();
  const errors = buildErrors(deployment);
  return (
    <section
      role="alert"
      aria-label="Build failed"
      data-testid="deploy-failure"
      className="grid gap-2 rounded-lg border border-destructive/40 bg-destructive/5 p-3"
    >
      <div className="flex items-start gap-2">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
        <p className="min-w-0 flex-1 text-sm break-words whitespace-pre-wrap">
          <span className="font-semibold text-destructive">The build failed. </span>
          {deployment.error_summary ?? "See the log below."}
        </p>
      </div>
      {errors.length > 0 && (
        <ul className="grid gap-1" aria-label="Build errors">
          {errors.map((error, i) => {
            const where = errorLocation(error);
            return (
              <li key={i} className="font-mono text-xs break-words" data-testid="deploy-error">
                {where && error.file ? (
                  <button
                    type="button"
                    className="mr-1.5 text-primary underline-offset-2 hover:underline"
                    onClick={() =>
                      bus.publish({
                        type: "editor:open",
                        path: error.file ?? "",
                        ...(error.line === null ? {} : { line: error.line }),
                      })
                    }
                  >
                    {where}
                  </button>
                ) : null}
                <span>{error.message}</span>
              </li>
            );
          })}
        </ul>
      )}
      <div className="flex justify-end">
        <Button size="sm" onClick={() => askAI(fixBuildPrompt(deployment))}>
          <Sparkles /> Fix with AI
        </Button>
      </div>
    </section>
  );
}
