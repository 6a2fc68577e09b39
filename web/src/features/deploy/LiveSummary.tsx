import { ExternalLink, Globe } from "lucide-react";
import type { DeployStatus } from "@/api/types";
import { formatRelative } from "@/lib/utils";
import { isBuilding, shortSha } from "./api";

/** What is live (and where), and whether a newer version is being published. */
export function LiveSummary({ status }: { status: DeployStatus }) {
  const { live, latest, url } = status;
  return (
    <section className="grid gap-2 rounded-lg border p-3" aria-label="Live app">
      {live && url ? (
        <>
          <div className="flex items-center gap-2 text-sm font-medium">
            <span className="size-2 shrink-0 rounded-full bg-emerald-500" aria-hidden />
            Live
            <span className="text-xs font-normal text-muted-foreground">
              version {shortSha(live.commit_sha)} · built{" "}
              {formatRelative(live.finished_at ?? live.created_at)}
            </span>
          </div>
          <a
            href={url}
            target="_blank"
            rel="noreferrer"
            data-testid="deploy-live-url"
            title={url}
            className="flex min-w-0 items-center gap-1.5 font-mono text-sm text-primary underline-offset-2 hover:underline"
          >
            <Globe className="size-4 shrink-0" aria-hidden />
            <span className="truncate">{url}</span>
            <ExternalLink className="size-3.5 shrink-0" aria-hidden />
          </a>
        </>
      ) : (
        <div className="flex items-center gap-2 text-sm text-muted-foreground">
          <span className="size-2 shrink-0 rounded-full bg-muted-foreground/40" aria-hidden />
          Not live yet
          {status.slug && <span className="truncate font-mono text-xs">({status.slug})</span>}
        </div>
      )}
      {isBuilding(latest) && latest && (
        <p className="text-xs text-amber-700 dark:text-amber-300" data-testid="deploy-building">
          Publishing version {shortSha(latest.commit_sha)}…
          {live ? " The current version stays live until it is ready." : ""}
        </p>
      )}
    </section>
  );
}
