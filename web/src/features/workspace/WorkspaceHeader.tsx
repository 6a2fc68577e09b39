import { ArrowLeft, Variable } from "lucide-react";
import { Link } from "react-router";
import type { Project } from "@/api/types";
import { ThemeToggle } from "@/components/layout/ThemeToggle";
import { UserMenu } from "@/components/layout/UserMenu";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { templateMeta } from "@/features/projects/templateMeta";

export function WorkspaceHeader({ project, onOpenEnv }: { project: Project; onOpenEnv: () => void }) {
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
      <div className="ml-auto flex items-center gap-1">
        <Button variant="outline" size="sm" onClick={onOpenEnv}>
          <Variable /> <span className="hidden sm:inline">Environment variables</span>
          <span className="sr-only sm:hidden">Environment variables</span>
        </Button>
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
