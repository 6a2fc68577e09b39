import { useEffect, useRef } from "react";
import { errorMessage } from "@/api/errors";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { cn } from "@/lib/utils";
import { useSandboxLogs } from "./api";

/** The dev server's output, refreshed every two seconds while open. */
export function LogDrawer({
  projectId,
  open,
  onOpenChange,
}: {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const logs = useSandboxLogs(projectId, open);
  const end = useRef<HTMLDivElement>(null);
  const count = logs.data?.length ?? 0;
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [count]);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-3xl">
        <DialogHeader>
          <DialogTitle>Dev server log</DialogTitle>
          <DialogDescription>
            The latest output of the project's development server, live.
          </DialogDescription>
        </DialogHeader>
        <div
          className="h-[60vh] overflow-auto rounded-md border bg-muted/40 p-2 font-mono text-xs"
          data-testid="dev-server-log"
        >
          {logs.isPending && <p className="text-muted-foreground">Loading…</p>}
          {logs.isError && <p className="text-destructive">{errorMessage(logs.error)}</p>}
          {logs.data?.length === 0 && <p className="text-muted-foreground">No output yet.</p>}
          {logs.data?.map((line, i) => (
            <div
              key={`${line.ts}-${i}`}
              className={cn(
                "whitespace-pre-wrap break-all",
                line.stream === "stderr" && "text-destructive",
                line.stream === "system" && "text-sky-700 dark:text-sky-300",
              )}
            >
              {line.text}
            </div>
          ))}
          <div ref={end} />
        </div>
      </DialogContent>
    </Dialog>
  );
}
