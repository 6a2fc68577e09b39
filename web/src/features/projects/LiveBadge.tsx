import { ExternalLink } from "lucide-react";
import { cn } from "@/lib/utils";

/** A published project's address, opening the live app in a new tab. */
export function LiveBadge({ url, className }: { url: string; className?: string }) {
  const host = url.replace(/^https?:\/\//, "").replace(/\/$/, "");
  return (
    <a
      href={url}
      target="_blank"
      rel="noreferrer"
      data-testid="project-live"
      title={`Open the live app: ${url}`}
      className={cn(
        "relative z-10 inline-flex max-w-full min-w-0 items-center gap-1.5 rounded-md border border-emerald-600/30 bg-emerald-500/10 px-2 py-0.5 text-xs font-medium text-emerald-700 hover:bg-emerald-500/20 dark:text-emerald-300",
        className,
      )}
    >
      <span className="size-1.5 shrink-0 rounded-full bg-emerald-500" aria-hidden />
      <span className="shrink-0">Live</span>
      <span className="truncate font-mono font-normal opacity-80">{host}</span>
      <ExternalLink className="size-3 shrink-0" aria-hidden />
    </a>
  );
}
