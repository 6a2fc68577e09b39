import { ArrowLeft, Download, Loader2, SquareTerminal, Variable } from "lucide-react";
import { Link } from "react-router";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import { ThemeToggle } from "@/components/layout/ThemeToggle";
import { UserMenu } from "@/components/layout/UserMenu";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { PublishButton } from "@/features/deploy";
import { templateMeta } from "@/features/projects/templateMeta";
import { cn } from "@/lib/utils";
import { useDownloadProject } from "./api";
import type { WorkspaceBus } from "./bus";
import type { ConnectionState } from "./realtime";

const connectionLabel: Record<ConnectionState, string> = {
  connecting: "Connecting to live updates…",
  open: "Live updates connected",
  closed: "Live updates disconnected: reconnecting…",
  denied: "Live updates refused: sign in again",
};

export function WorkspaceHeader({
  project,
  bus,
  connection,
  advanced,
  onToggleAdvanced,
  onOpenEnv,
  onShowDeployments,
}: {
  project: Project;
  bus: WorkspaceBus;
  connection: ConnectionState;
  advanced: boolean;
  onToggleAdvanced: () => void;
  onOpenEnv: () => void;
  onShowDeployments: () => void;
}) {
  const download = useDownloadProject(project.id);
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b bg-background px-2 sm:px-3">
      <SimpleTooltip label="Back to projects">
        <Button asChild variant="ghost" size="icon-sm">
          <Link to="/" aria-label="Back to projects">
            <ArrowLeft />
          </Link>
        </Button>
      </SimpleTooltip>
      <div className="flex min-w-0 items-center gap-2">
        <h1 className="truncate text-sm font-semibold" data-testid="workspace-project-name">
          {project.name}
        </h1>
        <Badge variant="secondary" className="hidden font-normal sm:inline-flex">
          {templateMeta(project.template).label}
        </Badge>
      </div>
      <SimpleTooltip label={connectionLabel[connection]}>
        <span
          role="status"
          aria-label={connectionLabel[connection]}
          data-testid="workspace-connection"
          data-state={connection}
          className={cn(
            "size-2 shrink-0 rounded-full",
            connection === "open"
              ? "bg-emerald-500"
              : connection === "denied"
                ? "bg-destructive"
                : "animate-pulse bg-amber-500",
          )}
        />
      </SimpleTooltip>
      <div className="ml-auto flex items-center gap-1">
        <Button
          variant={advanced ? "secondary" : "ghost"}
          size="sm"
          aria-pressed={advanced}
          onClick={onToggleAdvanced}
        >
          <SquareTerminal /> <span className="hidden lg:inline">Advanced mode</span>
          <span className="sr-only lg:hidden">Advanced mode</span>
        </Button>
        <SimpleTooltip label="Download project (.zip)">
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Download project (.zip)"
            data-testid="workspace-download"
            disabled={download.isPending}
            onClick={() =>
              download.mutate(undefined, {
                onError: (e) => toast.error(`Could not download the project: ${errorMessage(e)}`),
              })
            }
          >
            {download.isPending ? <Loader2 className="animate-spin" /> : <Download />}
          </Button>
        </SimpleTooltip>
        <Button variant="outline" size="sm" onClick={onOpenEnv}>
          <Variable /> <span className="hidden sm:inline">Environment variables</span>
          <span className="sr-only sm:hidden">Environment variables</span>
        </Button>
        <PublishButton project={project} bus={bus} onShowDeployments={onShowDeployments} />
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
