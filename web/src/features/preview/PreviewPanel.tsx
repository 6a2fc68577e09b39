import { useState } from "react";
import { Panel, PanelGroup, PanelResizeHandle } from "react-resizable-panels";
import { useWorkspace } from "@/features/workspace/context";
import { cn } from "@/lib/utils";
import { useSandboxStatus } from "./api";
import { DevTools, type DevToolsTab } from "./DevTools";
import { LogDrawer } from "./LogDrawer";
import { PreviewFrame } from "./PreviewFrame";
import { PreviewToolbar } from "./PreviewToolbar";
import { SandboxNotice } from "./SandboxNotice";
import { usePreviewFrame } from "./usePreviewFrame";
import { useScreenshot } from "./useScreenshot";
import { viewportWidth, type Viewport } from "./viewports";

export function PreviewPanel({ className }: { className?: string }) {
  const { project } = useWorkspace();
  const projectId = project.id;
  const status = useSandboxStatus(projectId);
  const frame = usePreviewFrame(projectId);
  const screenshot = useScreenshot(frame.frameRef, frame.link?.origin ?? null);
  const [viewport, setViewport] = useState<Viewport>("desktop");
  const [zoom, setZoom] = useState("1");
  const [devTools, setDevTools] = useState<DevToolsTab | null>(null);
  const [logOpen, setLogOpen] = useState(false);
  const sandbox = status.data;
  const { state, dispatch } = frame;

  const view = <PreviewFrame frame={frame} width={viewportWidth(viewport)} scale={Number(zoom)} />;

  return (
    <section
      data-testid="preview-panel"
      aria-label="Preview"
      className={cn("flex h-full min-h-0 flex-col bg-background", className)}
    >
      <PreviewToolbar
        sandbox={sandbox}
        onOpenLog={() => setLogOpen(true)}
        viewport={viewport}
        onViewportChange={setViewport}
        zoom={zoom}
        onZoomChange={setZoom}
        onReload={frame.reload}
        canCapture={frame.link !== null}
        capturing={screenshot.capturing}
        onScreenshot={() => void screenshot.take()}
        onOpenInNewTab={() => void frame.openInNewTab()}
        devToolsOpen={devTools !== null}
        onToggleDevTools={() => setDevTools((t) => (t ? null : "console"))}
      />
      <SandboxNotice projectId={projectId} sandbox={sandbox} onOpenLog={() => setLogOpen(true)} />
      {devTools ? (
        <PanelGroup direction="vertical" className="min-h-0 flex-1">
          <Panel
            id="preview-frame"
            order={1}
            defaultSize={65}
            minSize={20}
            className="flex flex-col"
          >
            {view}
          </Panel>
          <PanelResizeHandle className="h-px bg-border hover:bg-primary/50" />
          <Panel id="preview-devtools" order={2} defaultSize={35} minSize={15}>
            <DevTools
              tab={devTools}
              onTabChange={setDevTools}
              consoleEntries={state.console}
              networkEntries={state.network}
              onClearConsole={() => dispatch({ type: "clear-console" })}
              onClearNetwork={() => dispatch({ type: "clear-network" })}
            />
          </Panel>
        </PanelGroup>
      ) : (
        view
      )}
      <LogDrawer projectId={projectId} open={logOpen} onOpenChange={setLogOpen} />
    </section>
  );
}
