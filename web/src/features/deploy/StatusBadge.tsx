import { Loader2 } from "lucide-react";
import type { DeploymentStatus } from "@/api/types";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

const looks: Record<DeploymentStatus, { label: string; className: string }> = {
  queued: { label: "Queued", className: "bg-muted text-muted-foreground" },
  building: {
    label: "Building",
    className: "bg-amber-500/15 text-amber-700 dark:text-amber-300",
  },
  ready: {
    label: "Ready",
    className: "bg-emerald-500/15 text-emerald-700 dark:text-emerald-300",
  },
  error: { label: "Failed", className: "bg-destructive/15 text-destructive dark:text-red-300" },
  canceled: { label: "Canceled", className: "bg-muted text-muted-foreground" },
};

export function StatusBadge({ status }: { status: DeploymentStatus }) {
  const look = looks[status];
  return (
    <Badge
      variant="outline"
      data-testid="deployment-status"
      data-status={status}
      className={cn("border-transparent font-medium", look.className)}
    >
      {(status === "building" || status === "queued") && <Loader2 className="animate-spin" />}
      {look.label}
    </Badge>
  );
}
