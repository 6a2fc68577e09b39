import { LayoutGrid, List, Search } from "lucide-react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { cn } from "@/lib/utils";
import { useTemplates } from "./api";

export type ViewMode = "grid" | "list";
const ALL = "__all__";

interface Props {
  search: string;
  onSearchChange: (value: string) => void;
  template: string;
  onTemplateChange: (value: string) => void;
  view: ViewMode;
  onViewChange: (view: ViewMode) => void;
}

export function DashboardToolbar({
  search,
  onSearchChange,
  template,
  onTemplateChange,
  view,
  onViewChange,
}: Props) {
  const templates = useTemplates();
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
      <div className="relative flex-1">
        <Label htmlFor="project-search" className="sr-only">
          Search projects
        </Label>
        <Search
          className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
          aria-hidden
        />
        <Input
          id="project-search"
          type="search"
          placeholder="Search by name or description"
          className="pl-9"
          value={search}
          onChange={(e) => onSearchChange(e.target.value)}
        />
      </div>
      <div className="flex items-center gap-2">
        <Label htmlFor="template-filter" className="sr-only">
          Template
        </Label>
        <Select value={template || ALL} onValueChange={(v) => onTemplateChange(v === ALL ? "" : v)}>
          <SelectTrigger id="template-filter" className="w-full sm:w-44">
            <SelectValue placeholder="All templates" />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>All templates</SelectItem>
            {templates.data?.map((t) => (
              <SelectItem key={t.id} value={t.id}>
                {t.name}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <div
          role="group"
          aria-label="View"
          className="inline-flex shrink-0 rounded-md border p-0.5"
        >
          {(
            [
              ["grid", LayoutGrid, "Cards"],
              ["list", List, "List"],
            ] as const
          ).map(([mode, Icon, label]) => (
            <button
              key={mode}
              type="button"
              aria-label={label}
              aria-pressed={view === mode}
              onClick={() => onViewChange(mode)}
              className={cn(
                "grid size-8 place-items-center rounded-sm text-muted-foreground transition-colors hover:text-foreground",
                view === mode && "bg-accent text-foreground",
              )}
            >
              <Icon className="size-4" />
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
