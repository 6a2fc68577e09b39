import { ShieldAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useRestartSandbox, type SandboxStatus } from "./api";

/** Under the toolbar: the server cannot run project code at all, or the dev server crashed. */
export function SandboxNotice({
  projectId,
  sandbox,
  onOpenLog,
}: {
  projectId: string;
  sandbox: SandboxStatus | undefined;
  onOpenLog: () => void;
}) {
  const restart = useRestartSandbox(projectId);
  if (sandbox?.isolation === "none") {
    return (
      <div
        role="alert"
        data-testid="no-isolation"
        className="flex items-start gap-2 border-b bg-destructive/10 px-3 py-2 text-xs text-destructive"
      >
        <ShieldAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        <p>
          {sandbox.detail ?? "Project code cannot run on this server: it has no sandbox isolation."}
        </p>
      </div>
    );
  }
  if (sandbox?.status !== "crashed") return null;
  return (
    <div
      role="status"
      className="flex items-center gap-2 border-b bg-destructive/10 px-3 py-1.5 text-xs text-destructive"
    >
      The dev server crashed
      {sandbox.last_exit_code !== null ? ` (exit code ${sandbox.last_exit_code})` : ""}.
      <Button size="sm" variant="outline" className="ml-auto h-6 text-xs" onClick={onOpenLog}>
        Show log
      </Button>
      <Button
        size="sm"
        variant="outline"
        className="h-6 text-xs"
        disabled={restart.isPending}
        onClick={() => restart.mutate()}
      >
        Restart
      </Button>
    </div>
  );
}
