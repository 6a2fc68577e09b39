import { Bot, Settings, User } from "lucide-react";
import { useState } from "react";
import { cn, formatRelative } from "@/lib/utils";
import { VersionRowActions, type VersionRowActionsProps } from "./VersionRowActions";

const AUTHOR = {
  ai: { icon: Bot, label: "AI" },
  person: { icon: User, label: "You" },
  system: { icon: Settings, label: "System" },
} as const;

export interface VersionRowProps extends Omit<VersionRowActionsProps, "expanded" | "onExpand"> {
  selected: boolean;
  onSelect: (on: boolean) => void;
}

/** One version of the timeline: who made it, when, what it says, and what to do with it. */
export function VersionRow({ version, latest, selected, onSelect, ...actions }: VersionRowProps) {
  const [expanded, setExpanded] = useState(false);
  const author = AUTHOR[version.author];
  const Icon = author.icon;
  const [title, ...rest] = version.description.split("\n");
  const details = rest.join("\n").trim();
  return (
    <li
      data-testid="version-row"
      data-hash={version.hash}
      className={cn("relative grid gap-1 border-b px-3 py-2.5 text-sm", selected && "bg-primary/5")}
    >
      <div className="flex items-start gap-2">
        <span
          className={cn(
            "mt-0.5 grid size-6 shrink-0 place-items-center rounded-full",
            version.author === "ai"
              ? "bg-violet-500/15 text-violet-600"
              : "bg-muted text-muted-foreground",
          )}
          title={`${author.label}${version.author_name ? ` (${version.author_name})` : ""}`}
        >
          <Icon className="size-3.5" aria-label={author.label} />
        </span>
        <div className="min-w-0 flex-1">
          <p className="font-medium break-words" data-testid="version-description">
            {title}
          </p>
          {details && (
            <p className="text-xs whitespace-pre-wrap text-muted-foreground">{details}</p>
          )}
          <p className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
            <time dateTime={version.date} title={new Date(version.date).toLocaleString()}>
              {formatRelative(version.date)}
            </time>
            <code>{version.short_hash}</code>
            {latest && (
              <span className="rounded bg-emerald-500/15 px-1 text-emerald-700 dark:text-emerald-400">
                current
              </span>
            )}
            {version.reverts && <span>restores {version.reverts.slice(0, 7)}</span>}
          </p>
        </div>
        <input
          type="checkbox"
          checked={selected}
          onChange={(e) => onSelect(e.target.checked)}
          aria-label={`Select ${version.short_hash} to compare`}
          className="mt-1 size-4 accent-primary"
        />
      </div>
      <VersionRowActions
        version={version}
        latest={latest}
        expanded={expanded}
        onExpand={() => setExpanded(!expanded)}
        {...actions}
      />
      {expanded && (
        <ul className="pl-8 font-mono text-xs text-muted-foreground">
          {version.files.map((f) => (
            <li key={f.path} className="truncate" title={f.path}>
              <span className="inline-block w-4">{f.status}</span>
              {f.path}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
