import { Loader2 } from "lucide-react";
import { errorMessage } from "@/api/errors";
import { RetryError } from "@/components/ui/retry-error";
import { useWorkspace } from "@/features/workspace/context";
import { ErrorOverlay } from "./ErrorOverlay";
import { fixPrompt, visibleError } from "./state";
import type { PreviewFrameControl } from "./usePreviewFrame";

export interface PreviewFrameProps {
  frame: PreviewFrameControl;
  /** The viewport's width in CSS pixels; null for the panel's full width. */
  width: number | null;
  scale: number;
}

/** The app in its iframe (scaled to the zoom), or why it is not there yet; errors over it. */
export function PreviewFrame({ frame, width, scale }: PreviewFrameProps) {
  const { askAI } = useWorkspace();
  const { link, linkError } = frame;
  const error = visibleError(frame.state);
  return (
    <div className="relative flex min-h-0 flex-1 flex-col overflow-auto bg-muted/30 p-2">
      {link ? (
        <div
          className="relative mx-auto h-full shrink-0 overflow-hidden rounded-md border bg-white shadow-xs"
          style={{ width: width ? width * scale : "100%" }}
        >
          <iframe
            key={frame.frameKey}
            ref={frame.frameRef}
            title="App preview"
            src={link.url}
            data-testid="preview-frame"
            className="origin-top-left border-0"
            style={{
              width: width ? `${width}px` : `${100 / scale}%`,
              height: `${100 / scale}%`,
              transform: `scale(${scale})`,
            }}
            sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads"
          />
        </div>
      ) : (
        <div className="flex flex-1 flex-col items-center justify-center gap-2 text-sm text-muted-foreground">
          {linkError ? (
            <>
              <RetryError message={errorMessage(linkError)} onRetry={() => void frame.recreate()} />
            </>
          ) : (
            <>
              <Loader2 className="size-5 animate-spin" aria-hidden /> Opening the preview…
            </>
          )}
        </div>
      )}
      {error && (
        <ErrorOverlay
          error={error}
          onDismiss={() => frame.dispatch({ type: "dismiss" })}
          onFix={() => askAI(fixPrompt(error))}
        />
      )}
    </div>
  );
}
