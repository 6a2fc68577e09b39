import { FolderPlus, Plus, SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";

export function NoProjects({ onCreate }: { onCreate: () => void }) {
  return (
    <div
      data-testid="projects-empty"
      className="flex flex-col items-center gap-4 rounded-2xl border border-dashed px-6 py-20 text-center"
    >
      <span className="grid size-14 place-items-center rounded-2xl bg-primary/10 text-primary">
        <FolderPlus className="size-7" aria-hidden />
      </span>
      <div className="grid gap-1">
        <h2 className="text-lg font-semibold">No projects yet</h2>
        <p className="max-w-sm text-sm text-muted-foreground">
          Start from a template, then describe what you want. The agent writes the code while you
          watch the preview.
        </p>
      </div>
      <Button onClick={onCreate}>
        <Plus /> Create your first project
      </Button>
    </div>
  );
}

export function NoMatches({ onClear }: { onClear: () => void }) {
  return (
    <div
      data-testid="projects-no-matches"
      className="flex flex-col items-center gap-3 rounded-2xl border border-dashed px-6 py-16 text-center"
    >
      <SearchX className="size-8 text-muted-foreground" aria-hidden />
      <div className="grid gap-1">
        <h2 className="font-semibold">No matching projects</h2>
        <p className="text-sm text-muted-foreground">Try another search or template.</p>
      </div>
      <Button variant="outline" size="sm" onClick={onClear}>
        Clear filters
      </Button>
    </div>
  );
}
