import { GitCompare, Loader2, Save } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { useSaveVersion } from "./api";

export interface SaveVersionFormProps {
  projectId: string;
  /** How many unsaved changes there are. */
  pending: number;
  /** Compares the two picked versions; null until two are picked. */
  onCompare: (() => void) | null;
}

/** Saves the unsaved changes as a version, with an optional description. */
export function SaveVersionForm({ projectId, pending, onCompare }: SaveVersionFormProps) {
  const save = useSaveVersion(projectId);
  const [message, setMessage] = useState("");
  return (
    <form
      className="grid shrink-0 gap-2 border-b px-3 py-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(message.trim() || null, {
          onSuccess: (r) => {
            toast.success(r.version ? `Saved version ${r.version.short_hash}` : "Nothing to save");
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
          {pending ? `${pending} unsaved change${pending === 1 ? "" : "s"}` : "No unsaved changes"}
        </span>
        {onCompare ? (
          <Button
            type="button"
            size="sm"
            variant="secondary"
            className="ml-auto h-6"
            onClick={onCompare}
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
  );
}
