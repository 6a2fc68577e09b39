import { Eye, EyeOff, Loader2, Pencil, Trash2, Variable } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { EnvVar } from "@/api/types";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { ErrorMessage, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { formatRelative } from "@/lib/utils";
import { useDeleteEnvVar, useEnvVars, useRevealEnvVar, useSetEnvVar } from "./api";
import { envKeyProblem } from "./envKeys";

function omitKey(record: Record<string, string>, key: string): Record<string, string> {
  const copy = { ...record };
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a plain string-keyed map
  delete copy[key];
  return copy;
}

interface Props {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

export function EnvVarsDialog({ projectId, open, onOpenChange }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Environment variables</DialogTitle>
          <DialogDescription>
            Available to the app in its sandbox and deployments. Values are encrypted and never
            shown to the AI.
          </DialogDescription>
        </DialogHeader>
        {open ? <EnvVarsEditor projectId={projectId} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function EnvVarsEditor({ projectId }: { projectId: string }) {
  const vars = useEnvVars(projectId);
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const save = useSetEnvVar(projectId);
  const keyProblem = envKeyProblem(key);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!key || keyProblem) return;
    save.mutate(
      { key, value },
      {
        onSuccess: (saved) => {
          toast.success(`Saved ${saved.key}.`);
          setRevealed((r) => omitKey(r, saved.key));
          setKey("");
          setValue("");
        },
      },
    );
  };

  return (
    <div className="grid gap-5">
      <form onSubmit={onSubmit} className="grid gap-3 rounded-xl border bg-muted/30 p-4">
        <div className="grid gap-3 sm:grid-cols-[1fr_1.4fr]">
          <FormField id="env-key" label="Key" error={keyProblem}>
            <Input
              className="font-mono"
              placeholder="API_URL"
              autoComplete="off"
              spellCheck={false}
              value={key}
              onChange={(e) => setKey(e.target.value.trim())}
            />
          </FormField>
          <FormField id="env-value" label="Value">
            <Input
              className="font-mono"
              autoComplete="off"
              spellCheck={false}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </FormField>
        </div>
        <ErrorMessage message={save.isError ? errorMessage(save.error) : null} />
        <div className="flex justify-end">
          <Button type="submit" size="sm" disabled={!key || Boolean(keyProblem) || save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            Save variable
          </Button>
        </div>
      </form>
      {vars.isPending ? (
        <Skeleton className="h-24" />
      ) : vars.isError ? (
        <ErrorMessage message={errorMessage(vars.error)} />
      ) : vars.data.length === 0 ? (
        <div className="flex flex-col items-center gap-2 rounded-xl border border-dashed py-8 text-sm text-muted-foreground">
          <Variable className="size-6" aria-hidden /> No variables yet.
        </div>
      ) : (
        <ul className="divide-y rounded-xl border" aria-label="Environment variables">
          {vars.data.map((v) => (
            <EnvVarRow
              key={v.key}
              projectId={projectId}
              envVar={v}
              revealedValue={revealed[v.key]}
              onReveal={(val) => setRevealed((r) => ({ ...r, [v.key]: val }))}
              onHide={() => setRevealed((r) => omitKey(r, v.key))}
              onEdit={(val) => {
                setKey(v.key);
                setValue(val);
              }}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

interface RowProps {
  projectId: string;
  envVar: EnvVar;
  revealedValue: string | undefined;
  onReveal: (value: string) => void;
  onHide: () => void;
  onEdit: (value: string) => void;
}

function EnvVarRow({ projectId, envVar, revealedValue, onReveal, onHide, onEdit }: RowProps) {
  const reveal = useRevealEnvVar(projectId);
  const remove = useDeleteEnvVar(projectId);
  const [confirming, setConfirming] = useState(false);
  const shown = revealedValue !== undefined;

  const doReveal = (then?: (value: string) => void) =>
    reveal.mutate(envVar.key, {
      onSuccess: (r) => {
        onReveal(r.value);
        then?.(r.value);
      },
      onError: (error) => toast.error(errorMessage(error)),
    });

  return (
    <li data-testid="env-var-row" className="flex items-center gap-3 px-4 py-2.5">
      <div className="grid min-w-0 flex-1 gap-0.5">
        <span className="truncate font-mono text-sm font-medium">{envVar.key}</span>
        <span className="truncate font-mono text-xs text-muted-foreground">
          {shown ? revealedValue : envVar.masked_value} · updated{" "}
          {formatRelative(envVar.updated_at)}
        </span>
      </div>
      {confirming ? (
        <div className="flex items-center gap-1">
          <Button
            size="sm"
            variant="destructive"
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(envVar.key, {
                onSuccess: () => toast.success(`Deleted ${envVar.key}.`),
                onError: (error) => toast.error(errorMessage(error)),
              })
            }
          >
            {remove.isPending ? <Loader2 className="animate-spin" /> : null}
            Delete
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <div className="flex items-center">
          <SimpleTooltip label={shown ? "Hide value" : "Reveal value"}>
            <Button
              size="icon-sm"
              variant="ghost"
              aria-label={shown ? `Hide ${envVar.key}` : `Reveal ${envVar.key}`}
              disabled={reveal.isPending}
              onClick={() => (shown ? onHide() : doReveal())}
            >
              {reveal.isPending ? (
                <Loader2 className="animate-spin" />
              ) : shown ? (
                <EyeOff />
              ) : (
                <Eye />
              )}
            </Button>
          </SimpleTooltip>
          <SimpleTooltip label="Edit">
            <Button
              size="icon-sm"
              variant="ghost"
              aria-label={`Edit ${envVar.key}`}
              onClick={() => (shown ? onEdit(revealedValue) : doReveal(onEdit))}
            >
              <Pencil />
            </Button>
          </SimpleTooltip>
          <SimpleTooltip label="Delete">
            <Button
              size="icon-sm"
              variant="ghost"
              aria-label={`Delete ${envVar.key}`}
              onClick={() => setConfirming(true)}
            >
              <Trash2 />
            </Button>
          </SimpleTooltip>
        </div>
      )}
    </li>
  );
}
