import { Loader2 } from "lucide-react";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { cn } from "@/lib/utils";
import type { SandboxStatus } from "./api";

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

/** The dev server's state; a click opens its log. */
export function StatusBadge({
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
