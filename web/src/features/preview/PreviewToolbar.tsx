import {
  Camera,
  ExternalLink,
  Globe,
  Loader2,
  RotateCw,
  ScrollText,
  ShieldAlert,
  Terminal as TerminalIcon,
} from "lucide-react";
import type { ComponentProps } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SimpleTooltip } from "@/components/ui/tooltip";
import type { SandboxStatus } from "./api";
import { StatusBadge } from "./StatusBadge";
import { ViewportPicker, type ViewportPickerProps } from "./ViewportPicker";

export interface PreviewToolbarProps extends ViewportPickerProps {
  sandbox: SandboxStatus | undefined;
  onOpenLog: () => void;
  onReload: () => void;
  canCapture: boolean;
  capturing: boolean;
  onScreenshot: () => void;
  onOpenInNewTab: () => void;
  devToolsOpen: boolean;
  onToggleDevTools: () => void;
}

/** An icon button with its tooltip. */
function ToolButton({ tooltip, ...props }: { tooltip: string } & ComponentProps<typeof Button>) {
  return (
    <SimpleTooltip label={tooltip}>
      <Button variant="ghost" size="icon-sm" {...props} />
    </SimpleTooltip>
  );
}

/** The preview's header: the dev server's state, viewport and zoom, and the preview's tools. */
export function PreviewToolbar(props: PreviewToolbarProps) {
  const { sandbox, onOpenLog, capturing, devToolsOpen } = props;
  return (
    <div className="flex h-10 shrink-0 items-center gap-1 border-b px-2 text-sm">
      <Globe className="size-4 text-muted-foreground" aria-hidden />
      <h2 className="mr-1 font-medium">Preview</h2>
      <StatusBadge status={sandbox} onOpenLog={onOpenLog} />
      {sandbox?.isolation === "unsafe-local" && (
        <SimpleTooltip label="This project's code runs without a sandbox on the host: only run code you trust.">
          <Badge variant="destructive" data-testid="unsafe-local-badge" className="uppercase">
            <ShieldAlert /> Unsandboxed
          </Badge>
        </SimpleTooltip>
      )}
      <div className="ml-auto flex items-center gap-0.5">
        <ViewportPicker
          viewport={props.viewport}
          onViewportChange={props.onViewportChange}
          zoom={props.zoom}
          onZoomChange={props.onZoomChange}
        />
        <ToolButton
          tooltip="Refresh the preview"
          aria-label="Refresh preview"
          onClick={props.onReload}
        >
          <RotateCw />
        </ToolButton>
        <ToolButton
          tooltip="Screenshot (PNG)"
          aria-label="Take screenshot"
          disabled={!props.canCapture || capturing}
          onClick={props.onScreenshot}
        >
          {capturing ? <Loader2 className="animate-spin" /> : <Camera />}
        </ToolButton>
        <ToolButton
          tooltip="Open in a new tab"
          aria-label="Open preview in new tab"
          onClick={props.onOpenInNewTab}
        >
          <ExternalLink />
        </ToolButton>
        <ToolButton
          tooltip="Console and network"
          variant={devToolsOpen ? "secondary" : "ghost"}
          aria-label="Toggle console"
          aria-pressed={devToolsOpen}
          onClick={props.onToggleDevTools}
        >
          <TerminalIcon />
        </ToolButton>
        <ToolButton tooltip="Dev server log" aria-label="Dev server log" onClick={onOpenLog}>
          <ScrollText />
        </ToolButton>
      </div>
    </div>
  );
}
