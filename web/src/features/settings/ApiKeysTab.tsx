import { Check, Copy, KeyRound, Loader2, Plus, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { ApiKey, ApiKeyCreated } from "@/api/types";
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
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { ErrorMessage, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { useCopyToClipboard } from "@/lib/hooks";
import { formatDate, formatRelative } from "@/lib/utils";
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "./api";

export function ApiKeysTab() {
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>API keys</CardTitle>
        <CardDescription>
          Personal keys for scripts and the CLI. Send one as{" "}
          <code className="font-mono text-xs">Authorization: Bearer …</code>. A key acts as you:
          keep it secret.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <CreateKeyForm onCreated={setCreated} />
        <KeyList onRevoke={setRevoking} />
      </CardContent>
      <NewKeyDialog created={created} onClose={() => setCreated(null)} />
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />
    </Card>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: ApiKeyCreated) => void }) {
  const [name, setName] = useState("");
  const create = useCreateApiKey();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate(name.trim(), {
      onSuccess: (key) => {
        setName("");
        onCreated(key);
      },
    });
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-2">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <FormField id="api-key-name" label="Key name" className="flex-1">
          <Input
            placeholder="e.g. Laptop CLI"
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </FormField>
        <Button type="submit" disabled={!name.trim() || create.isPending}>
          {create.isPending ? <Loader2 className="animate-spin" /> : <Plus />}
          Create key
        </Button>
      </div>
      <ErrorMessage message={create.isError ? errorMessage(create.error) : null} />
    </form>
  );
}

function KeyList({ onRevoke }: { onRevoke: (key: ApiKey) => void }) {
  const keys = useApiKeys();
  if (keys.isPending) return <Skeleton className="h-24" />;
  if (keys.isError) return <ErrorMessage message={errorMessage(keys.error)} />;
  if (keys.data.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 rounded-xl border border-dashed py-10 text-center text-sm text-muted-foreground">
        <KeyRound className="size-6" aria-hidden />
        No API keys yet.
      </div>
    );
  }
  return (
    <ul className="divide-y rounded-xl border" aria-label="API keys">
      {keys.data.map((key) => (
        <li key={key.id} data-testid="api-key-row" className="flex items-center gap-4 px-4 py-3">
          <KeyRound className="size-4 shrink-0 text-muted-foreground" aria-hidden />
          <div className="grid min-w-0 flex-1 gap-0.5">
            <span className="truncate font-medium">{key.name}</span>
            <span className="text-xs text-muted-foreground">
              <code className="font-mono">{key.prefix}…</code> · created{" "}
              {formatDate(key.created_at)} ·{" "}
              {key.last_used_at ? `last used ${formatRelative(key.last_used_at)}` : "never used"}
            </span>
          </div>
          <Button
            variant="ghost"
            size="sm"
            className="text-destructive hover:text-destructive"
            onClick={() => onRevoke(key)}
          >
            <Trash2 /> Revoke
          </Button>
        </li>
      ))}
    </ul>
  );
}

function NewKeyDialog({
  created,
  onClose,
}: {
  created: ApiKeyCreated | null;
  onClose: () => void;
}) {
  const { copied, copy } = useCopyToClipboard();
  return (
    <Dialog open={created !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Copy your new API key</DialogTitle>
          <DialogDescription>
            This is the only time the key is shown. Store it somewhere safe; if you lose it, revoke
            it and create another.
          </DialogDescription>
        </DialogHeader>
        {created ? (
          <div className="flex items-center gap-2">
            <Input
              readOnly
              value={created.key}
              aria-label="New API key"
              className="font-mono text-xs"
              onFocus={(e) => e.target.select()}
            />
            <Button
              type="button"
              variant="outline"
              size="icon"
              aria-label={copied ? "Copied" : "Copy key"}
              onClick={() =>
                void copy(created.key).then((ok) => {
                  if (!ok) toast.error("Could not copy. Select the key and copy it by hand.");
                })
              }
            >
              {copied ? <Check className="text-success" /> : <Copy />}
            </Button>
          </div>
        ) : null}
        <DialogFooter>
          <Button onClick={onClose}>Done</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const revoke = useRevokeApiKey();
  return (
    <AlertDialog open={apiKey !== null} onOpenChange={(open) => !open && onClose()}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke “{apiKey?.name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Scripts using this key stop working immediately.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <ErrorMessage message={revoke.isError ? errorMessage(revoke.error) : null} />
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            className="bg-destructive text-destructive-foreground hover:bg-destructive/90"
            disabled={revoke.isPending}
            onClick={(event) => {
              event.preventDefault();
              if (!apiKey) return;
              revoke.mutate(apiKey.id, {
                onSuccess: () => {
                  toast.success("API key revoked.");
                  onClose();
                },
              });
            }}
          >
            {revoke.isPending ? <Loader2 className="animate-spin" /> : null}
            Revoke key
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
