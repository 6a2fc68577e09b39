import { Link } from "react-router";
import type { Project } from "@/api/types";
import { Badge } from "@/components/ui/badge";
import { formatRelative } from "@/lib/utils";
import { LiveBadge } from "./LiveBadge";
import { ProjectActions, type ProjectActionHandlers } from "./ProjectActions";
import { TemplateIcon } from "./TemplateIcon";
import { templateMeta } from "./templateMeta";

function hasText(value: string | null | undefined): value is string {
  return typeof value === "string" && value.trim() !== "";
}

type Props = { projects: Project[] } & ProjectActionHandlers;

export function ProjectGrid({ projects, ...handlers }: Props) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" aria-label="Projects">
      {projects.map((project) => (
        <li
          key={project.id}
          data-testid="project-card"
          className="group relative flex flex-col gap-3 rounded-xl border bg-card p-4 shadow-xs transition-all hover:-translate-y-0.5 hover:border-primary/40 hover:shadow-md"
        >
          <div className="flex items-start justify-between gap-2">
            <TemplateIcon template={project.template} />
            <div className="relative z-10">
              <ProjectActions project={project} {...handlers} />
            </div>
          </div>
          <div className="grid min-w-0 gap-1">
            <Link
              to={`/projects/${project.id}`}
              className="truncate font-semibold after:absolute after:inset-0 after:content-[''] focus-visible:outline-none"
            >
              {project.name}
            </Link>
            <p className="line-clamp-2 min-h-10 text-sm text-muted-foreground">
              {hasText(project.description) ? (
                project.description
              ) : (
                <span className="italic opacity-70">No description</span>
              )}
            </p>
            {project.published_url && <LiveBadge url={project.published_url} />}
          </div>
          <div className="mt-auto flex items-center justify-between gap-2 text-xs text-muted-foreground">
            <Badge variant="secondary" className="font-normal">
              {templateMeta(project.template).label}
            </Badge>
            <span>Updated {formatRelative(project.updated_at)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function ProjectList({ projects, ...handlers }: Props) {
  return (
    <ul className="divide-y overflow-hidden rounded-xl border bg-card" aria-label="Projects">
      {projects.map((project) => (
        <li
          key={project.id}
          data-testid="project-row"
          className="relative flex items-center gap-4 px-4 py-3 hover:bg-accent/40"
        >
          <TemplateIcon template={project.template} className="size-8" />
          <div className="grid min-w-0 flex-1 gap-0.5">
            <Link
              to={`/projects/${project.id}`}
              className="truncate font-medium after:absolute after:inset-0 after:content-[''] focus-visible:outline-none"
            >
              {project.name}
            </Link>
            <p className="truncate text-sm text-muted-foreground">
              {hasText(project.description) ? project.description : "No description"}
            </p>
          </div>
          {project.published_url && (
            <LiveBadge url={project.published_url} className="hidden max-w-64 sm:inline-flex" />
          )}
          <Badge variant="secondary" className="hidden font-normal md:inline-flex">
            {templateMeta(project.template).label}
          </Badge>
          <span className="hidden w-32 text-right text-xs text-muted-foreground sm:block">
            {formatRelative(project.updated_at)}
          </span>
          <div className="relative z-10">
            <ProjectActions project={project} {...handlers} />
          </div>
        </li>
      ))}
    </ul>
  );
}
