import {
  Camera,
  ExternalLink,
  Globe,
  Loader2,
  Monitor,
  RotateCw,
  ScrollText,
  ShieldAlert,
  Smartphone,
  Tablet,
  Terminal as TerminalIcon,
} from "lucide-react";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { Panel, PanelGroup, PanelResizeHandle } from "react-resizable-panels";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { useWorkspace } from "@/features/workspace/context";
import { downloadUrl } from "@/lib/download";
import { cn } from "@/lib/utils";
import {
  usePreviewLink,
  useRestartSandbox,
  useSandboxStatus,
  type PreviewLink,
  type SandboxStatus,
} from "./api";
import { DevTools, type DevToolsTab } from "./DevTools";
import { ErrorOverlay } from "./ErrorOverlay";
import { LogDrawer } from "./LogDrawer";
import { parsePreviewMessage, sendPreviewCommand } from "./messages";
import { requestScreenshot, screenshotFileName } from "./screenshot";
import { fixPrompt, initialPreviewState, previewReducer, visibleError } from "./state";

export type Viewport = "mobile" | "tablet" | "desktop";
const VIEWPORTS: { id: Viewport; label: string; width: number | null; icon: typeof Monitor }[] = [
  { id: "mobile", label: "Mobile (375 px)", width: 375, icon: Smartphone },
  { id: "tablet", label: "Tablet (768 px)", width: 768, icon: Tablet },
  { id: "desktop", label: "Desktop (full width)", width: null, icon: Monitor },
];
const ZOOMS = ["0.5", "0.75", "1", "1.25"];

const statusStyle: Record<SandboxStatus["status"], { label: string; className: string }> = {
  not_started: { label: "Not started", className: "bg-muted text-muted-foreground" },
  starting: { label: "Starting…", className: "bg-amber-500/15 text-amber-800 dark:text-amber-300" },
  running: {
    label: "Running",
    className: "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
  },
  crashed: { label: "Crashed", className: "bg-destructive/15 text-destructive" },
  hibernated: { label: "Hibernated", className: "bg-sky-500/15 text-sky-800 dark:text-sky-300" },
  stopped: { label: "Stopped", className: "bg-muted text-muted-foreground" },
};

function StatusBadge({
  status,
  onOpenLog,
}: {
  status: SandboxStatus | undefined;
  onOpenLog: () => void;
}) {
  const style = statusStyle[status?.status ?? "not_started"];
  return (
    <SimpleTooltip label={status?.detail ?? "Open the dev server log"}>
      <button
        type="button"
        onClick={onOpenLog}
        data-testid="preview-status"
        data-status={status?.status ?? "unknown"}
        aria-label={`Dev server: ${style.label} (open log)`}
        className={cn(
          "inline-flex items-center gap-1 rounded-md px-2 py-0.5 text-xs font-medium",
          style.className,
        )}
      >
        {status?.status === "starting" && <Loader2 className="size-3 animate-spin" aria-hidden />}
        {style.label}
        {status && status.restarts > 0 && (
          <span className="opacity-70">· {status.restarts} restarts</span>
        )}
      </button>
    </SimpleTooltip>
  );
}

export function PreviewPanel({ className }: { className?: string }) {
  const { project, bus, sendToServer, askAI } = useWorkspace();
  const projectId = project.id;
  const status = useSandboxStatus(projectId);
  const linkMutation = usePreviewLink(projectId);
  const restart = useRestartSandbox(projectId);
  const [link, setLink] = useState<PreviewLink | null>(null);
  const [frameKey, setFrameKey] = useState(0);
  const [viewport, setViewport] = useState<Viewport>("desktop");
  const [zoom, setZoom] = useState("1");
  const [devTools, setDevTools] = useState<DevToolsTab | null>(null);
  const [logOpen, setLogOpen] = useState(false);
  const [capturing, setCapturing] = useState(false);
  const [state, dispatch] = useReducer(previewReducer, initialPreviewState);
  const frameRef = useRef<HTMLIFrameElement>(null);
  const readyRef = useRef(false);
  readyRef.current = state.ready;
  const { mutateAsync: newLink } = linkMutation;

  /** A new iframe with a fresh one-time link (the link sets the preview origin's cookie). */
  const recreate = useCallback(async () => {
    try {
      const fresh = await newLink();
      setLink(fresh);
      setFrameKey((k) => k + 1);
      dispatch({ type: "frame-created" });
    } catch {
      // linkMutation.error is shown in the panel.
    }
  }, [newLink]);

  useEffect(() => {
    void recreate();
  }, [recreate]);

  const reload = useCallback(() => {
    const target = frameRef.current?.contentWindow;
    // The instrumented page reloads itself; a page that never answered (a gateway error
    // page, a link that expired) needs a new frame.
    if (readyRef.current && link && sendPreviewCommand(target, link.origin, { type: "reload" }))
      return;
    void recreate();
  }, [link, recreate]);

  // Reports from the preview page.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const message = parsePreviewMessage(
        event,
        link?.origin ?? null,
        frameRef.current?.contentWindow,
      );
      if (!message) return;
      dispatch({ type: "message", message });
      if (message.type === "error" || message.type === "unhandledrejection") {
        const { type, ...data } = message;
        sendToServer("error:runtime", { kind: type, ...data });
      }
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [link, sendToServer]);

  // Server events: compile errors and refresh requests.
  useEffect(
    () =>
      bus.subscribe((event) => {
        if (event.type !== "server") return;
        if (event.event === "error:detected") dispatch({ type: "server-error", data: event.data });
        else if (event.event === "error:cleared") dispatch({ type: "server-cleared" });
        else if (event.event === "preview:refresh") reload();
      }),
    [bus, reload],
  );

  const takeScreenshot = async () => {
    setCapturing(true);
    try {
      const shot = await requestScreenshot(frameRef.current?.contentWindow, link?.origin ?? null);
      downloadUrl(shot.dataUrl, screenshotFileName());
    } catch (e) {
      toast.error(`Screenshot failed: ${errorMessage(e)}`);
    } finally {
      setCapturing(false);
    }
  };

  const openInNewTab = async () => {
    // Open the tab inside the click (popup blockers), then point it at a fresh link.
    const tab = window.open("about:blank", "_blank");
    try {
      const fresh = await newLink();
      if (tab) {
        tab.opener = null;
        tab.location.href = fresh.url;
      }
    } catch {
      tab?.close();
    }
  };

  const error = visibleError(state);
  const width = VIEWPORTS.find((v) => v.id === viewport)?.width ?? null;
  const scale = Number(zoom);
  const sandbox = status.data;

  const frame = (
    <div className="relative flex min-h-0 flex-1 flex-col overflow-auto bg-muted/30 p-2">
      {link ? (
        <div
          className="relative mx-auto h-full shrink-0 overflow-hidden rounded-md border bg-white shadow-xs"
          style={{ width: width ? width * scale : "100%" }}
        >
          <iframe
            key={frameKey}
            ref={frameRef}
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
          {linkMutation.isError ? (
            <>
              <p className="text-destructive">{errorMessage(linkMutation.error)}</p>
              <Button size="sm" variant="outline" onClick={() => void recreate()}>
                Try again
              </Button>
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
          onDismiss={() => dispatch({ type: "dismiss" })}
          onFix={() => askAI(fixPrompt(error))}
        />
      )}
    </div>
  );

  return (
    <section
      data-testid="preview-panel"
      aria-label="Preview"
      className={cn("flex h-full min-h-0 flex-col bg-background", className)}
    >
      <div className="flex h-10 shrink-0 items-center gap-1 border-b px-2 text-sm">
        <Globe className="size-4 text-muted-foreground" aria-hidden />
        <h2 className="mr-1 font-medium">Preview</h2>
        <StatusBadge status={sandbox} onOpenLog={() => setLogOpen(true)} />
        {sandbox?.isolation === "unsafe-local" && (
          <SimpleTooltip label="This project's code runs without a sandbox on the host: only run code you trust.">
            <Badge variant="destructive" data-testid="unsafe-local-badge" className="uppercase">
              <ShieldAlert /> Unsandboxed
            </Badge>
          </SimpleTooltip>
        )}
        <div className="ml-auto flex items-center gap-0.5">
          <div role="group" aria-label="Viewport" className="flex">
            {VIEWPORTS.map((v) => (
              <SimpleTooltip key={v.id} label={v.label}>
                <Button
                  variant={viewport === v.id ? "secondary" : "ghost"}
                  size="icon-sm"
                  aria-label={`${v.label} viewport`}
                  aria-pressed={viewport === v.id}
                  onClick={() => setViewport(v.id)}
                >
                  <v.icon />
                </Button>
              </SimpleTooltip>
            ))}
          </div>
          <Select value={zoom} onValueChange={setZoom}>
            <SelectTrigger aria-label="Zoom" className="h-8 w-[4.5rem] px-2 text-xs">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {ZOOMS.map((z) => (
                <SelectItem key={z} value={z}>
                  {Math.round(Number(z) * 100)}%
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <SimpleTooltip label="Refresh the preview">
            <Button variant="ghost" size="icon-sm" aria-label="Refresh preview" onClick={reload}>
              <RotateCw />
            </Button>
          </SimpleTooltip>
          <SimpleTooltip label="Screenshot (PNG)">
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label="Take screenshot"
              disabled={!link || capturing}
              onClick={() => void takeScreenshot()}
            >
              {capturing ? <Loader2 className="animate-spin" /> : <Camera />}
            </Button>
          </SimpleTooltip>
          <SimpleTooltip label="Open in a new tab">
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label="Open preview in new tab"
              onClick={() => void openInNewTab()}
            >
              <ExternalLink />
            </Button>
          </SimpleTooltip>
          <SimpleTooltip label="Console and network">
            <Button
              variant={devTools ? "secondary" : "ghost"}
              size="icon-sm"
              aria-label="Toggle console"
              aria-pressed={devTools !== null}
              onClick={() => setDevTools((t) => (t ? null : "console"))}
            >
              <TerminalIcon />
            </Button>
          </SimpleTooltip>
          <SimpleTooltip label="Dev server log">
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label="Dev server log"
              onClick={() => setLogOpen(true)}
            >
              <ScrollText />
            </Button>
          </SimpleTooltip>
        </div>
      </div>
      {sandbox?.isolation === "none" ? (
        <div
          role="alert"
          data-testid="no-isolation"
          className="flex items-start gap-2 border-b bg-destructive/10 px-3 py-2 text-xs text-destructive"
        >
          <ShieldAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p>
            {sandbox.detail ??
              "Project code cannot run on this server: it has no sandbox isolation."}
          </p>
        </div>
      ) : (
        sandbox?.status === "crashed" && (
          <div
            role="status"
            className="flex items-center gap-2 border-b bg-destructive/10 px-3 py-1.5 text-xs text-destructive"
          >
            The dev server crashed
            {sandbox.last_exit_code !== null ? ` (exit code ${sandbox.last_exit_code})` : ""}.
            <Button
              size="sm"
              variant="outline"
              className="ml-auto h-6 text-xs"
              onClick={() => setLogOpen(true)}
            >
              Show log
            </Button>
            <Button
              size="sm"
              variant="outline"
              className="h-6 text-xs"
              disabled={restart.isPending}
              onClick={() => restart.mutate()}
            >
              Restart
            </Button>
          </div>
        )
      )}
      {devTools ? (
        <PanelGroup direction="vertical" className="min-h-0 flex-1">
          <Panel
            id="preview-frame"
            order={1}
            defaultSize={65}
            minSize={20}
            className="flex flex-col"
          >
            {frame}
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
        frame
      )}
      <LogDrawer projectId={projectId} open={logOpen} onOpenChange={setLogOpen} />
    </section>
  );
}
