import { Sparkles, TriangleAlert, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { PreviewError } from "./state";

const titles: Record<PreviewError["source"], string> = {
  "dev-server": "Compile error",
  overlay: "Build error",
  runtime: "Runtime error",
};

/** The current error over the preview, with a one-click request to the agent to fix it. */
export function ErrorOverlay({
  error,
  onFix,
  onDismiss,
}: {
  error: PreviewError;
  onFix: () => void;
  onDismiss: () => void;
}) {
  return (
    <div
      role="alert"
      aria-label="Preview error"
      data-testid="preview-error-overlay"
      className="absolute inset-x-3 bottom-3 z-10 max-h-[60%] overflow-auto rounded-lg border border-destructive/40 bg-background/95 p-3 shadow-lg backdrop-blur"
    >
      <div className="flex items-start gap-2">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold text-destructive">{titles[error.source]}</p>
          {error.location && (
            <p className="font-mono text-xs text-muted-foreground">{error.location}</p>
          )}
          <p className="mt-1 font-mono text-xs whitespace-pre-wrap break-words">{error.message}</p>
          {error.detail && (
            <details className="mt-1">
              <summary className="cursor-pointer text-xs text-muted-foreground">Details</summary>
              <pre className="mt-1 max-h-40 overflow-auto rounded bg-muted p-2 text-[11px]">
                {error.detail}
              </pre>
            </details>
          )}
        </div>
        <Button variant="ghost" size="icon-sm" aria-label="Dismiss error" onClick={onDismiss}>
          <X />
        </Button>
      </div>
      <div className="mt-2 flex justify-end">
        <Button size="sm" onClick={onFix}>
          <Sparkles /> Fix with AI
        </Button>
      </div>
    </div>
  );
}
