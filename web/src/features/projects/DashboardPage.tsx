import { Plus } from "lucide-react";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/form-field";
import { Skeleton } from "@/components/ui/skeleton";
import { useDebouncedValue } from "@/lib/hooks";
import { PAGE_SIZE, useDuplicateProject, useProjects } from "./api";
import { CreateProjectDialog } from "./CreateProjectDialog";
import { DashboardToolbar, type ViewMode } from "./DashboardToolbar";
import { DeleteProjectDialog } from "./DeleteProjectDialog";
import { EditProjectDialog } from "./EditProjectDialog";
import { NoMatches, NoProjects } from "./EmptyState";
import { Pagination } from "./Pagination";
import { ProjectGrid, ProjectList } from "./ProjectCollection";

const VIEW_KEY = "appwright-dashboard-view";

function useViewMode(): [ViewMode, (v: ViewMode) => void] {
  const [view, setView] = useState<ViewMode>(() =>
    localStorage.getItem(VIEW_KEY) === "list" ? "list" : "grid",
  );
  return [
    view,
    (v) => {
      setView(v);
      localStorage.setItem(VIEW_KEY, v);
    },
  ];
}

function LoadingGrid() {
  return (
    <div
      className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4"
      aria-label="Loading projects"
    >
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-40 rounded-xl" />
      ))}
    </div>
  );
}

export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const template = params.get("template") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);

  const [search, setSearch] = useState(q);
  const debouncedSearch = useDebouncedValue(search, 300);
  const [view, setView] = useViewMode();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const [editing, setEditing] = useState<Project | null>(null);
  const duplicate = useDuplicateProject();

  const update = (changes: Record<string, string | number>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === "" || (k === "page" && v === 1)) next.delete(k);
          else next.set(k, String(v));
        }
        return next;
      },
      { replace: true },
    );
  };

  // Push the debounced search into the URL (which drives the query), back to page 1.
  useEffect(() => {
    if (debouncedSearch.trim() === q) return;
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (debouncedSearch.trim()) next.set("q", debouncedSearch.trim());
        else next.delete("q");
        next.delete("page");
        return next;
      },
      { replace: true },
    );
  }, [debouncedSearch, q, setParams]);

  const projects = useProjects({ q, template, page });
  const filtered = Boolean(q || template);
  const pageEmptied =
    projects.isSuccess &&
    !projects.isPlaceholderData &&
    projects.data.items.length === 0 &&
    page > 1;

  // Deleting the last project of a page leaves it empty: show the page before instead.
  useEffect(() => {
    if (!pageEmptied) return;
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (page - 1 <= 1) next.delete("page");
        else next.set("page", String(page - 1));
        return next;
      },
      { replace: true },
    );
  }, [pageEmptied, page, setParams]);

  const onDuplicate = (project: Project) => {
    duplicate.mutate(
      { id: project.id },
      {
        onSuccess: (copy) => toast.success(`Duplicated as “${copy.name}”.`),
        onError: (error) => toast.error(errorMessage(error)),
      },
    );
  };

  let body: React.ReactNode;
  if (projects.isPending) body = <LoadingGrid />;
  else if (projects.isError) body = <ErrorMessage message={errorMessage(projects.error)} />;
  else if (projects.data.total === 0 && !filtered)
    body = <NoProjects onCreate={() => setCreating(true)} />;
  else if (projects.data.items.length === 0)
    body = (
      <NoMatches
        onClear={() => {
          setSearch("");
          update({ q: "", template: "", page: 1 });
        }}
      />
    );
  else {
    const Collection = view === "grid" ? ProjectGrid : ProjectList;
    body = (
      <div className="grid gap-6">
        <Collection
          projects={projects.data.items}
          onEdit={setEditing}
          onDuplicate={onDuplicate}
          onDelete={setDeleting}
        />
        <Pagination
          page={projects.data.page}
          pageSize={projects.data.page_size || PAGE_SIZE}
          total={projects.data.total}
          onPageChange={(p) => update({ page: p })}
        />
      </div>
    );
  }

  return (
    <div className="mx-auto grid w-full max-w-7xl gap-6 px-4 py-8 sm:px-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Projects</h1>
          <p className="text-sm text-muted-foreground">Every app you are building, in one place.</p>
        </div>
        <Button onClick={() => setCreating(true)}>
          <Plus /> New project
        </Button>
      </div>
      <DashboardToolbar
        search={search}
        onSearchChange={setSearch}
        template={template}
        onTemplateChange={(t) => update({ template: t, page: 1 })}
        view={view}
        onViewChange={setView}
      />
      <div
        aria-busy={projects.isFetching}
        className={projects.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}
      >
        {body}
      </div>
      <CreateProjectDialog open={creating} onOpenChange={setCreating} />
      <EditProjectDialog project={editing} onOpenChange={(open) => !open && setEditing(null)} />
      <DeleteProjectDialog
        project={deleting}
        onOpenChange={(open) => !open && setDeleting(null)}
        onDeleted={(p) => toast.success(`Deleted “${p.name}”.`)}
      />
    </div>
  );
}
