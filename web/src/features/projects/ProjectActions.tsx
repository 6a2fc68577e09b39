import { Copy, ExternalLink, MoreHorizontal, Pencil, Trash2 } from "lucide-react";
import { Link } from "react-router";
import type { Project } from "@/api/types";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export interface ProjectActionHandlers {
  onEdit: (project: Project) => void;
  onDuplicate: (project: Project) => void;
  onDelete: (project: Project) => void;
}

export function ProjectActions({
  project,
  onEdit,
  onDuplicate,
  onDelete,
}: { project: Project } & ProjectActionHandlers) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${project.name}`}>
          <MoreHorizontal />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem asChild>
          <Link to={`/projects/${project.id}`}>
            <ExternalLink /> Open
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => onEdit(project)}>
          <Pencil /> Edit details
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => onDuplicate(project)}>
          <Copy /> Duplicate
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem destructive onSelect={() => onDelete(project)}>
          <Trash2 /> Delete
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
