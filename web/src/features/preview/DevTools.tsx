import { Ban } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { cn } from "@/lib/utils";
import type { ConsoleEntry, NetworkEntry } from "./state";

const levelClass: Record<ConsoleEntry["level"], string> = {
  log: "",
  info: "text-sky-700 dark:text-sky-300",
  debug: "text-muted-foreground",
  warn: "bg-amber-500/10 text-amber-800 dark:text-amber-300",
  error: "bg-destructive/10 text-destructive",
};

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

function ConsoleList({ entries }: { entries: ConsoleEntry[] }) {
  if (entries.length === 0)
    return <p className="p-3 text-xs text-muted-foreground">No console output yet.</p>;
  return (
    <ol aria-label="Console messages" className="font-mono text-xs">
      {entries.map((entry) => (
        <li
          key={entry.id}
          data-testid="console-entry"
          data-entry-id={entry.id}
          data-level={entry.level}
          className={cn(
            "flex gap-2 border-b px-3 py-1 whitespace-pre-wrap break-all",
            levelClass[entry.level],
          )}
        >
          <span className="shrink-0 text-muted-foreground">{time(entry.time)}</span>
          <span className="w-10 shrink-0 uppercase opacity-70">{entry.level}</span>
          <span className="min-w-0">{entry.text}</span>
        </li>
      ))}
    </ol>
  );
}

function NetworkList({ entries }: { entries: NetworkEntry[] }) {
  if (entries.length === 0)
    return <p className="p-3 text-xs text-muted-foreground">No requests yet.</p>;
  return (
    <table aria-label="Network requests" className="w-full font-mono text-xs">
      <thead className="sticky top-0 bg-background text-left text-muted-foreground">
        <tr>
          <th className="px-3 py-1 font-medium">Method</th>
          <th className="px-1 py-1 font-medium">URL</th>
          <th className="px-1 py-1 font-medium">Status</th>
          <th className="px-3 py-1 text-right font-medium">Time</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr
            key={entry.id}
            data-testid="network-entry"
            className={cn("border-t", !entry.ok && "text-destructive")}
          >
            <td className="px-3 py-1">{entry.method}</td>
            <td className="max-w-0 truncate px-1 py-1" title={entry.url}>
              {entry.url}
            </td>
            <td className="px-1 py-1">{entry.status || (entry.error ?? "failed")}</td>
            <td className="px-3 py-1 text-right">{entry.duration} ms</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export type DevToolsTab = "console" | "network";

export function DevTools({
  tab,
  onTabChange,
  consoleEntries,
  networkEntries,
  onClearConsole,
  onClearNetwork,
}: {
  tab: DevToolsTab;
  onTabChange: (tab: DevToolsTab) => void;
  consoleEntries: ConsoleEntry[];
  networkEntries: NetworkEntry[];
  onClearConsole: () => void;
  onClearNetwork: () => void;
}) {
  const errors = consoleEntries.filter((e) => e.level === "error").length;
  return (
    <Tabs
      value={tab}
      onValueChange={(value) => onTabChange(value === "network" ? "network" : "console")}
      className="flex h-full min-h-0 flex-col gap-0 bg-background"
    >
      <div className="flex items-center gap-2 border-b px-2 py-1">
        <TabsList className="h-7">
          <TabsTrigger value="console" className="text-xs">
            Console{" "}
            {errors > 0 && (
              <span className="ml-1 rounded bg-destructive px-1 text-destructive-foreground">
                {errors}
              </span>
            )}
          </TabsTrigger>
          <TabsTrigger value="network" className="text-xs">
            Network
          </TabsTrigger>
        </TabsList>
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto h-6 text-xs"
          onClick={tab === "console" ? onClearConsole : onClearNetwork}
          aria-label={tab === "console" ? "Clear console" : "Clear network log"}
        >
          <Ban className="size-3" /> Clear
        </Button>
      </div>
      <TabsContent
        value="console"
        className="min-h-0 flex-1 overflow-auto"
        data-testid="preview-console"
      >
        <ConsoleList entries={consoleEntries} />
      </TabsContent>
      <TabsContent
        value="network"
        className="min-h-0 flex-1 overflow-auto"
        data-testid="preview-network"
      >
        <NetworkList entries={networkEntries} />
      </TabsContent>
    </Tabs>
  );
}
