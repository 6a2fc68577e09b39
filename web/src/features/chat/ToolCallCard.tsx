import {
  CheckCircle2,
  ChevronRight,
  FilePen,
  FilePlus2,
  FileX2,
  Loader2,
  Search,
  ShieldCheck,
  SquareTerminal,
  TriangleAlert,
  Wrench,
  type LucideIcon,
} from "lucide-react";
import { useState } from "react";
import { cn } from "@/lib/utils";
import { diffStats } from "./format";
import type { ToolCall } from "./stream";

const icons: Record<string, LucideIcon> = {
  create_file: FilePlus2,
  full_file_rewrite: FilePen,
  update_file_sections: FilePen,
  delete_file: FileX2,
  rename_file: FilePen,
  search_files: Search,
  send_terminal_command: SquareTerminal,
  add_dependency: SquareTerminal,
  check_for_errors: ShieldCheck,
};

const verbs: Record<string, [running: string, done: string]> = {
  create_file: ["Creating", "Created"],
  full_file_rewrite: ["Rewriting", "Rewrote"],
  update_file_sections: ["Editing", "Edited"],
  delete_file: ["Deleting", "Deleted"],
  rename_file: ["Renaming", "Renamed"],
  read_files: ["Reading", "Read"],
  search_files: ["Searching", "Searched"],
  send_terminal_command: ["Running a command", "Ran a command"],
  add_dependency: ["Adding a dependency", "Added a dependency"],
  check_for_errors: ["Checking for errors", "Checked for errors"],
  open_files_in_editor: ["Opening", "Opened"],
  close_files_in_editor: ["Closing", "Closed"],
};

function Diff({ diff }: { diff: string }) {
  return (
    <pre
      className="max-h-64 overflow-auto bg-muted/40 py-1 font-mono text-[11px] leading-snug"
      aria-label="Diff"
    >
      {diff.split("\n").map((line, i) => (
        <div
          key={i}
          className={cn(
            "px-2 whitespace-pre",
            line.startsWith("+") &&
              !line.startsWith("+++") &&
              "bg-emerald-500/15 text-emerald-800 dark:text-emerald-300",
            line.startsWith("-") &&
              !line.startsWith("---") &&
              "bg-red-500/15 text-red-800 dark:text-red-300",
            line.startsWith("@@") && "text-sky-700 dark:text-sky-300",
          )}
        >
          {line || " "}
        </div>
      ))}
    </pre>
  );
}

/** One tool call of the agent: what it did to which file, with the diff, output or errors. */
export function ToolCallCard({
  call,
  onOpenFile,
}: {
  call: ToolCall;
  onOpenFile?: (path: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const Icon = icons[call.name] ?? Wrench;
  const [runningVerb, doneVerb] = verbs[call.name] ?? [call.name, call.name];
  const isCheck = call.name === "check_for_errors";
  const errorCount = call.errors?.length ?? 0;
  const stats = call.diff ? diffStats(call.diff) : null;
  const hasBody =
    [call.diff, call.output, call.error].some((v) => v !== undefined && v !== "") ||
    errorCount > 0 ||
    (call.state === "running" && call.streamed !== "");

  let title = call.state === "running" ? runningVerb : doneVerb;
  if (isCheck && call.state !== "running")
    title =
      errorCount > 0
        ? `Found ${errorCount} error${errorCount === 1 ? "" : "s"}`
        : "No errors found";
  if (call.state === "failed" && !isCheck) title = `${runningVerb} failed`;

  return (
    <div
      data-testid="tool-call-card"
      data-tool={call.name}
      data-state={call.state}
      className={cn(
        "my-1.5 overflow-hidden rounded-md border text-xs",
        call.state === "failed" && "border-destructive/40",
      )}
    >
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        disabled={!hasBody}
        aria-expanded={hasBody ? open : undefined}
        className="flex w-full items-center gap-2 px-2 py-1.5 text-left hover:bg-muted/50 disabled:cursor-default"
      >
        {hasBody && (
          <ChevronRight
            className={cn("size-3 shrink-0 transition-transform", open && "rotate-90")}
            aria-hidden
          />
        )}
        <Icon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
        <span className="font-medium">{title}</span>
        {call.path && (
          <span className="min-w-0 truncate font-mono text-muted-foreground">{call.path}</span>
        )}
        {call.automatic && <span className="text-muted-foreground">(automatic)</span>}
        <span className="ml-auto flex shrink-0 items-center gap-1.5">
          {stats && (
            <span className="font-mono">
              <span className="text-emerald-700 dark:text-emerald-400">+{stats.added}</span>{" "}
              <span className="text-red-700 dark:text-red-400">−{stats.removed}</span>
            </span>
          )}
          {call.state === "running" && (
            <Loader2 className="size-3.5 animate-spin text-muted-foreground" aria-label="Running" />
          )}
          {call.state === "ok" && !(isCheck && errorCount > 0) && (
            <CheckCircle2 className="size-3.5 text-emerald-600" aria-label="Done" />
          )}
          {(call.state === "failed" || (isCheck && errorCount > 0)) && (
            <TriangleAlert className="size-3.5 text-destructive" aria-label="Problem" />
          )}
        </span>
      </button>
      {call.summary && call.state !== "running" && !isCheck && (
        <p className="border-t px-2 py-1 text-muted-foreground">{call.summary}</p>
      )}
      {open && (
        <div className="border-t">
          {call.state === "running" && call.streamed && (
            <pre className="max-h-48 overflow-auto bg-muted/40 p-2 font-mono text-[11px]">
              {call.streamed}
            </pre>
          )}
          {call.diff && <Diff diff={call.diff} />}
          {call.output && (
            <pre className="max-h-48 overflow-auto bg-muted/40 p-2 font-mono text-[11px] whitespace-pre-wrap">
              {call.output}
            </pre>
          )}
          {errorCount > 0 && (
            <ul className="space-y-1 p-2 font-mono text-[11px] text-destructive">
              {call.errors?.map((e, i) => (
                <li key={i} className="whitespace-pre-wrap">
                  {e}
                </li>
              ))}
            </ul>
          )}
          {call.error && <p className="p-2 whitespace-pre-wrap text-destructive">{call.error}</p>}
          {call.path && onOpenFile && call.name !== "delete_file" && (
            <button
              type="button"
              className="m-2 text-primary underline underline-offset-2"
              onClick={() => call.path && onOpenFile(call.path)}
            >
              Open in editor
            </button>
          )}
        </div>
      )}
    </div>
  );
}
