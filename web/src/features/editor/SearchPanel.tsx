import {
  CaseSensitive,
  ChevronDown,
  ChevronRight,
  Loader2,
  Regex,
  Replace,
  Search,
  WholeWord,
} from "lucide-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useReplaceAll, useSearchFiles, type SearchHit } from "./api";

function Toggle({
  on,
  onChange,
  label,
  children,
}: {
  on: boolean;
  onChange: (on: boolean) => void;
  label: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      aria-pressed={on}
      onClick={() => onChange(!on)}
      className={cn(
        "grid size-6 place-items-center rounded text-muted-foreground hover:bg-accent",
        on && "bg-primary/15 text-foreground",
      )}
    >
      {children}
    </button>
  );
}

const globs = (text: string) =>
  text
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);

/** Search (and replace) across the project's files, results grouped by file. */
export function SearchPanel({
  projectId,
  onOpen,
  onReplaced,
}: {
  projectId: string;
  onOpen: (path: string, line: number) => void;
  onReplaced: (paths: string[]) => void;
}) {
  const [query, setQuery] = useState("");
  const [replacement, setReplacement] = useState("");
  const [showReplace, setShowReplace] = useState(false);
  const [regex, setRegex] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [wholeWord, setWholeWord] = useState(false);
  const [include, setInclude] = useState("");
  const [exclude, setExclude] = useState("");
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const search = useSearchFiles(projectId);
  const replace = useReplaceAll(projectId);

  const body = () => ({
    query,
    regex,
    case_sensitive: caseSensitive,
    whole_word: wholeWord,
    include: globs(include),
    exclude: globs(exclude),
    max_results: 1000,
  });
  const run = (e?: FormEvent) => {
    e?.preventDefault();
    if (query) search.mutate(body());
  };
  const replaceAll = () => {
    if (!window.confirm(`Replace every match of “${query}” with “${replacement}”?`)) return;
    replace.mutate(
      { ...body(), replace: replacement },
      {
        onSuccess: (result) => {
          toast.success(
            `${result.replacements} replacement${result.replacements === 1 ? "" : "s"} in ${result.files.length} files`,
          );
          if (result.skipped.length)
            toast.warning(`Skipped (changed meanwhile): ${result.skipped.join(", ")}`);
          onReplaced(result.files.map((f) => f.path));
          search.mutate(body());
        },
        onError: (error) => toast.error(errorMessage(error)),
      },
    );
  };

  const groups = new Map<string, SearchHit[]>();
  for (const hit of search.data?.hits ?? [])
    groups.set(hit.path, [...(groups.get(hit.path) ?? []), hit]);

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="search-panel">
      <form onSubmit={run} className="grid gap-1.5 border-b p-2">
        <div className="flex items-center gap-1">
          <button
            type="button"
            aria-label={showReplace ? "Hide replace" : "Show replace"}
            aria-expanded={showReplace}
            onClick={() => setShowReplace(!showReplace)}
            className="grid size-6 place-items-center rounded hover:bg-accent"
          >
            {showReplace ? (
              <ChevronDown className="size-3.5" />
            ) : (
              <ChevronRight className="size-3.5" />
            )}
          </button>
          <input
            aria-label="Search in files"
            placeholder="Search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            className="h-7 min-w-0 flex-1 rounded border bg-background px-2 text-sm outline-none focus:ring-2 focus:ring-ring"
          />
          <Toggle on={caseSensitive} onChange={setCaseSensitive} label="Match case">
            <CaseSensitive className="size-4" />
          </Toggle>
          <Toggle on={wholeWord} onChange={setWholeWord} label="Whole word">
            <WholeWord className="size-4" />
          </Toggle>
          <Toggle on={regex} onChange={setRegex} label="Regular expression">
            <Regex className="size-4" />
          </Toggle>
        </div>
        {showReplace && (
          <div className="flex items-center gap-1 pl-7">
            <input
              aria-label="Replace with"
              placeholder="Replace"
              value={replacement}
              onChange={(e) => setReplacement(e.target.value)}
              className="h-7 min-w-0 flex-1 rounded border bg-background px-2 text-sm outline-none focus:ring-2 focus:ring-ring"
            />
            <Button
              type="button"
              variant="ghost"
              size="icon-sm"
              className="size-7"
              aria-label="Replace all"
              title="Replace all"
              disabled={!query || replace.isPending}
              onClick={replaceAll}
            >
              {replace.isPending ? (
                <Loader2 className="size-4 animate-spin" />
              ) : (
                <Replace className="size-4" />
              )}
            </Button>
          </div>
        )}
        <input
          aria-label="Files to include"
          placeholder="Files to include (e.g. src/**, *.tsx)"
          value={include}
          onChange={(e) => setInclude(e.target.value)}
          className="h-7 rounded border bg-background px-2 text-xs outline-none focus:ring-2 focus:ring-ring"
        />
        <input
          aria-label="Files to exclude"
          placeholder="Files to exclude"
          value={exclude}
          onChange={(e) => setExclude(e.target.value)}
          className="h-7 rounded border bg-background px-2 text-xs outline-none focus:ring-2 focus:ring-ring"
        />
        <Button type="submit" size="sm" variant="secondary" disabled={!query || search.isPending}>
          {search.isPending ? (
            <Loader2 className="size-4 animate-spin" />
          ) : (
            <Search className="size-4" />
          )}
          Search
        </Button>
      </form>
      <div className="min-h-0 flex-1 overflow-auto text-sm" aria-live="polite">
        {search.isError && (
          <p className="p-3 text-sm text-destructive">{errorMessage(search.error)}</p>
        )}
        {search.data && (
          <p className="px-3 py-1.5 text-xs text-muted-foreground">
            {search.data.hits.length} result{search.data.hits.length === 1 ? "" : "s"} in{" "}
            {groups.size} file{groups.size === 1 ? "" : "s"}
            {search.data.truncated && " (first results only)"}
          </p>
        )}
        {[...groups].map(([path, hits]) => {
          const closed = collapsed.has(path);
          return (
            <div key={path}>
              <button
                type="button"
                aria-expanded={!closed}
                onClick={() => {
                  const next = new Set(collapsed);
                  if (closed) next.delete(path);
                  else next.add(path);
                  setCollapsed(next);
                }}
                className="flex w-full items-center gap-1 px-2 py-1 text-left font-medium hover:bg-accent/60"
              >
                {closed ? (
                  <ChevronRight className="size-3.5" />
                ) : (
                  <ChevronDown className="size-3.5" />
                )}
                <span className="truncate">{path}</span>
                <span className="ml-auto rounded-full bg-muted px-1.5 text-xs">{hits.length}</span>
              </button>
              {!closed &&
                hits.map((hit) => (
                  <button
                    key={`${hit.line}:${hit.column}`}
                    type="button"
                    data-testid="search-hit"
                    onClick={() => onOpen(hit.path, hit.line)}
                    className="flex w-full gap-2 py-0.5 pr-2 pl-7 text-left font-mono text-xs hover:bg-accent/60"
                  >
                    <span className="w-8 shrink-0 text-right text-muted-foreground">
                      {hit.line}
                    </span>
                    <span className="truncate">
                      {hit.preview.slice(0, Math.max(0, hit.column - 1))}
                      <mark className="rounded-sm bg-amber-300/60 text-inherit dark:bg-amber-500/40">
                        {hit.preview.slice(hit.column - 1, hit.column - 1 + hit.length)}
                      </mark>
                      {hit.preview.slice(hit.column - 1 + hit.length)}
                    </span>
                  </button>
                ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
