import {
  Bot,
  Check,
  GitBranch,
  GitCompare,
  GitMerge,
  History,
  Loader2,
  MessageSquare,
  MessageSquareReply,
  RotateCcw,
  Save,
  Settings,
  User,
} from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { cn } from "@/lib/utils";
import {
  useBranches,
  useCreateBranch,
  useRestoreToMessage,
  useRevert,
  useSaveVersion,
  useSwitchBranch,
  useTimeline,
  useVersionStatus,
  type Version,
} from "./api";
import { BranchesDialog } from "./BranchesDialog";
import { VersionDiffDialog, type DiffRequest } from "./VersionDiffDialog";

export interface VersionsPanelProps {
  project: Project;
  bus: WorkspaceBus;
}

/** Git's empty tree: the "parent" of a project's first version. */
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

const AUTHOR = {
  ai: { icon: Bot, label: "AI" },
  person: { icon: User, label: "You" },
  system: { icon: Settings, label: "System" },
} as const;

function when(date: string): string {
  const seconds = Math.round((Date.now() - new Date(date).getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (seconds < 60) return "just now";
  if (seconds < 3600) return rtf.format(-Math.floor(seconds / 60), "minute");
  if (seconds < 86400) return rtf.format(-Math.floor(seconds / 3600), "hour");
  if (seconds < 7 * 86400) return rtf.format(-Math.floor(seconds / 86400), "day");
  return new Date(date).toLocaleDateString();
}

function BranchMenu({ projectId, onManage }: { projectId: string; onManage: () => void }) {
  const branches = useBranches(projectId);
  const switchBranch = useSwitchBranch(projectId);
  const createBranch = useCreateBranch(projectId);
  const current = branches.data?.current ?? "…";
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="h-7 max-w-36 gap-1 px-2"
          aria-label={`Branch: ${current}`}
        >
          <GitBranch className="size-3.5" />
          <span className="truncate">{current}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>Branches</DropdownMenuLabel>
        {branches.data?.branches.map((b) => (
          <DropdownMenuItem
            key={b.name}
            disabled={b.current || switchBranch.isPending}
            onSelect={() =>
              switchBranch.mutate(b.name, {
                onSuccess: () => toast.success(`Switched to ${b.name}`),
                onError: (e) => toast.error(errorMessage(e)),
              })
            }
          >
            {b.current ? <Check className="size-4" /> : <span className="size-4" />}
            {b.name}
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem
          onSelect={() => {
            const name = window.prompt("New branch name (starts from the current version)")?.trim();
            if (!name) return;
            createBranch.mutate(name, {
              onSuccess: () => toast.success(`Created and switched to ${name}`),
              onError: (e) => toast.error(errorMessage(e)),
            });
          }}
        >
          New branch…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={onManage}>
          <GitMerge className="size-4" />
          Merge or delete branches…
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function VersionRow({
  version,
  latest,
  selected,
  onSelect,
  onShowChanges,
  onRestore,
  onShowMessage,
  onRestoreToMessage,
}: {
  version: Version;
  latest: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onShowChanges: () => void;
  onRestore: () => void;
  onShowMessage: (messageId: string) => void;
  onRestoreToMessage: () => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const author = AUTHOR[version.author];
  const Icon = author.icon;
  const [title, ...rest] = version.description.split("\n");
  const messageId = version.message_id ?? null;
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
          {rest.join("\n").trim() && (
            <p className="text-xs whitespace-pre-wrap text-muted-foreground">
              {rest.join("\n").trim()}
            </p>
          )}
          <p className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
            <time dateTime={version.date} title={new Date(version.date).toLocaleString()}>
              {when(version.date)}
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
      <div className="flex flex-wrap items-center gap-1 pl-8">
        <button
          type="button"
          aria-expanded={expanded}
          onClick={() => setExpanded(!expanded)}
          className="text-xs text-muted-foreground hover:text-foreground hover:underline"
        >
          {version.files_changed.length} file{version.files_changed.length === 1 ? "" : "s"} changed
        </button>
        {messageId && (
          <button
            type="button"
            data-testid="version-message-link"
            title="Show the chat message that made this version"
            onClick={() => onShowMessage(messageId)}
            className="ml-1 flex items-center gap-1 rounded bg-primary/10 px-1.5 text-xs text-primary hover:bg-primary/20"
          >
            <MessageSquare className="size-3" aria-hidden />
            chat message
          </button>
        )}
        <span className="ml-auto flex flex-wrap justify-end gap-1">
          <Button variant="ghost" size="sm" className="h-6 px-2 text-xs" onClick={onShowChanges}>
            <GitCompare className="size-3.5" />
            Changes
          </Button>
          {!latest && (
            <Button variant="ghost" size="sm" className="h-6 px-2 text-xs" onClick={onRestore}>
              <RotateCcw className="size-3.5" />
              Restore
            </Button>
          )}
          {version.author === "ai" && messageId && (
            <Button
              variant="ghost"
              size="sm"
              className="h-6 px-2 text-xs"
              data-testid="version-restore-to-message"
              title="Go back to the code of this message; the chat continues from it"
              onClick={onRestoreToMessage}
            >
              <MessageSquareReply className="size-3.5" />
              Restore to this message
            </Button>
          )}
        </span>
      </div>
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

/** The project's versions, newest first: compare, restore, save, switch branches. */
export function VersionsPanel({ project, bus }: VersionsPanelProps) {
  const projectId = project.id;
  const timeline = useTimeline(projectId);
  const status = useVersionStatus(projectId);
  const save = useSaveVersion(projectId);
  const revert = useRevert(projectId);
  const restoreToMessage = useRestoreToMessage(projectId);
  const [selected, setSelected] = useState<string[]>([]);
  const [diff, setDiff] = useState<DiffRequest | null>(null);
  const [restoreTarget, setRestoreTarget] = useState<Version | null>(null);
  const [messageTarget, setMessageTarget] = useState<Version | null>(null);
  const [branchesShown, setBranchesShown] = useState(false);
  const [message, setMessage] = useState("");
  const { refetch: refetchTimeline } = timeline;
  const { refetch: refetchStatus } = status;

  // The AI's turns and file changes from anywhere add versions or unsaved changes.
  useEffect(
    () =>
      bus.subscribe((event) => {
        // `version:created`: the server saved idle edits as a version (idle autosave).
        const autosaved = event.type === "server" && event.event === "version:created";
        if (event.type === "ai:turn-done" || autosaved) void refetchTimeline();
        if (
          event.type === "ai:turn-done" ||
          autosaved ||
          (event.type === "server" && event.event === "file:updated")
        )
          void refetchStatus();
      }),
    [bus, refetchTimeline, refetchStatus],
  );

  const versions = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  const pending = status.data?.changes.length ?? 0;

  const compareSelected = () => {
    // Older first, whatever order they were picked in.
    const [a, b] = [...selected].sort(
      (x, y) => versions.findIndex((v) => v.hash === y) - versions.findIndex((v) => v.hash === x),
    );
    if (!a || !b) return;
    setDiff({ from: a, to: b, title: `Compare ${a.slice(0, 7)} and ${b.slice(0, 7)}` });
  };

  // Open editors reload the files a new version changed (the server's WebSocket says the
  // same; a second reload of an unchanged file is a no-op).
  const reloadEditors = (version: Version | null) => {
    const paths = version?.files_changed ?? [];
    if (paths.length)
      bus.publish({
        type: "server",
        event: "file:updated",
        data: { paths, kind: "updated", author: "person" },
      });
  };

  const restore = (version: Version) => {
    revert.mutate(version.hash, {
      onSuccess: (result) => {
        toast.success(
          result.version
            ? `Restored ${version.short_hash} as a new version`
            : "Already at that version",
        );
        setSelected([]);
        reloadEditors(result.version);
      },
      onError: (e) => toast.error(`Could not restore: ${errorMessage(e)}`),
    });
  };

  const restoreMessage = (version: Version) => {
    const messageId = version.message_id;
    if (!messageId) return;
    restoreToMessage.mutate(messageId, {
      onSuccess: (result) => {
        toast.success(
          result.version
            ? `Restored the code of ${version.short_hash}; the chat continues from its message`
            : "The code already matches that message; the chat continues from it",
        );
        setSelected([]);
        reloadEditors(result.version);
        bus.publish({ type: "chat:continue-from", messageId });
      },
      onError: (e) => toast.error(`Could not restore: ${errorMessage(e)}`),
    });
  };

  return (
    <section
      data-testid="versions-panel"
      aria-label="Versions"
      className="flex h-full min-h-0 flex-col bg-background"
    >
      <div className="flex h-10 shrink-0 items-center gap-1 border-b px-3 text-sm font-medium">
        <History className="size-4 text-muted-foreground" aria-hidden />
        <h2 className="mr-auto">Versions</h2>
        <BranchMenu projectId={projectId} onManage={() => setBranchesShown(true)} />
      </div>
      <form
        className="grid shrink-0 gap-2 border-b px-3 py-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(message.trim() || null, {
            onSuccess: (r) => {
              toast.success(
                r.version ? `Saved version ${r.version.short_hash}` : "Nothing to save",
              );
              setMessage("");
            },
            onError: (err) => toast.error(errorMessage(err)),
          });
        }}
      >
        <div className="flex items-center gap-2">
          <input
            aria-label="Version description"
            placeholder="Describe your changes (optional)"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            maxLength={2000}
            className="h-8 min-w-0 flex-1 rounded-md border bg-background px-2 text-sm outline-none focus:ring-2 focus:ring-ring"
          />
          <Button
            type="submit"
            size="sm"
            variant={pending ? "default" : "outline"}
            disabled={save.isPending || pending === 0}
          >
            {save.isPending ? (
              <Loader2 className="size-4 animate-spin" />
            ) : (
              <Save className="size-4" />
            )}
            Save version
          </Button>
        </div>
        <div className="flex items-center gap-2">
          <span className="text-xs text-muted-foreground" data-testid="versions-pending">
            {pending
              ? `${pending} unsaved change${pending === 1 ? "" : "s"}`
              : "No unsaved changes"}
          </span>
          {selected.length === 2 ? (
            <Button
              type="button"
              size="sm"
              variant="secondary"
              className="ml-auto h-6"
              onClick={compareSelected}
            >
              <GitCompare className="size-4" />
              Compare
            </Button>
          ) : (
            <span className="ml-auto text-xs text-muted-foreground">
              Tick two versions to compare
            </span>
          )}
        </div>
      </form>
      <div className="min-h-0 flex-1 overflow-auto">
        {timeline.isPending ? (
          <p className="flex items-center gap-2 p-4 text-sm text-muted-foreground" role="status">
            <Loader2 className="size-4 animate-spin" /> Loading versions…
          </p>
        ) : timeline.isError ? (
          <div className="grid gap-2 p-4 text-sm">
            <p className="text-destructive">{errorMessage(timeline.error)}</p>
            <Button size="sm" variant="outline" onClick={() => void timeline.refetch()}>
              Try again
            </Button>
          </div>
        ) : versions.length === 0 ? (
          <p className="p-4 text-sm text-muted-foreground">
            No versions yet. Each AI turn and each saved change becomes one.
          </p>
        ) : (
          <ol aria-label="Version history">
            {versions.map((v, i) => (
              <VersionRow
                key={v.hash}
                version={v}
                latest={i === 0}
                selected={selected.includes(v.hash)}
                onSelect={(on) =>
                  setSelected((s) =>
                    on
                      ? [...s.filter((h) => h !== v.hash), v.hash].slice(-2)
                      : s.filter((h) => h !== v.hash),
                  )
                }
                onShowChanges={() =>
                  setDiff({
                    from: v.parents[0] ?? EMPTY_TREE,
                    to: v.hash,
                    title: v.description.split("\n")[0] ?? v.short_hash,
                  })
                }
                onRestore={() => setRestoreTarget(v)}
                onShowMessage={(messageId) => bus.publish({ type: "chat:show-message", messageId })}
                onRestoreToMessage={() => setMessageTarget(v)}
              />
            ))}
          </ol>
        )}
        {timeline.hasNextPage && (
          <div className="p-3">
            <Button
              size="sm"
              variant="outline"
              className="w-full"
              disabled={timeline.isFetchingNextPage}
              onClick={() => void timeline.fetchNextPage()}
            >
              {timeline.isFetchingNextPage ? "Loading…" : "Older versions"}
            </Button>
          </div>
        )}
      </div>
      <VersionDiffDialog projectId={projectId} request={diff} onClose={() => setDiff(null)} />
      <AlertDialog open={messageTarget !== null} onOpenChange={(o) => !o && setMessageTarget(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Restore to this chat message?</AlertDialogTitle>
            <AlertDialogDescription>
              The code goes back to how the AI left it with this message (“
              {messageTarget?.description.split("\n")[0]}”, {messageTarget?.short_hash}). This adds
              a new version; nothing is lost
              {pending ? ", and your unsaved changes are saved as a version first" : ""}.
            </AlertDialogDescription>
            <p className="text-sm text-muted-foreground">
              The chat then continues from that message: what you send next starts a new branch of
              the conversation. The later messages stay in their own branch, where you can still
              read them.
            </p>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={() => {
                if (messageTarget) restoreMessage(messageTarget);
              }}
            >
              Restore and continue from here
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      <BranchesDialog
        projectId={projectId}
        open={branchesShown}
        onOpenChange={setBranchesShown}
        onMerged={(version) => {
          setSelected([]);
          reloadEditors(version);
        }}
        onCompare={setDiff}
      />
      <AlertDialog open={restoreTarget !== null} onOpenChange={(o) => !o && setRestoreTarget(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Restore this version?</AlertDialogTitle>
            <AlertDialogDescription>
              The project's files go back to “{restoreTarget?.description.split("\n")[0]}” (
              {restoreTarget?.short_hash}). This adds a new version; nothing is lost
              {pending ? ", and your unsaved changes are saved as a version first" : ""}. You can
              restore the current version again later.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={() => {
                if (restoreTarget) restore(restoreTarget);
              }}
            >
              Restore
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </section>
  );
}
