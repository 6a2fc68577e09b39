import { Globe, Loader2, Rocket } from "lucide-react";
import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import { Button } from "@/components/ui/button";
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
import { addressUrl, slugProblem, suggestSlug } from "./address";

interface Props {
  project: Project;
  /** The address kept from an earlier publish, if any. */
  slug: string | null;
  /** The published URL, once known (it gives the domain and port). */
  knownUrl: string | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  pending: boolean;
  error: unknown;
  onPublish: (slug: string) => void;
}

/** The first publish: where the app will live (its address on this server). */
export function PublishDialog(props: Props) {
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent className="sm:max-w-lg" data-testid="publish-dialog">
        <DialogHeader>
          <DialogTitle>Publish your app</DialogTitle>
          <DialogDescription>
            The current version is built and served at its own public address. Anyone with the link
            can open it.
          </DialogDescription>
        </DialogHeader>
        {props.open ? <PublishForm {...props} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function PublishForm({ project, slug, knownUrl, pending, error, onPublish, onOpenChange }: Props) {
  const [value, setValue] = useState(() => slug ?? suggestSlug(project.name, project.id));
  const [touched, setTouched] = useState(false);
  const problem = slugProblem(value);
  // The server's 400 (a bad address) and 409 (taken) belong to the address field.
  const serverProblem =
    error instanceof ApiError && (error.status === 400 || error.status === 409) && !touched
      ? error.detail
      : undefined;
  const otherError = error && !serverProblem && !touched ? errorMessage(error) : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (problem || pending) return;
    setTouched(false);
    onPublish(value);
  };

  return (
    <form className="grid gap-4" onSubmit={onSubmit} noValidate>
      <FormField
        id="publish-slug"
        label="Address"
        error={value ? (problem ?? serverProblem) : serverProblem}
        hint="Lowercase letters, digits and hyphens (3 to 63)."
      >
        <Input
          value={value}
          autoFocus
          spellCheck={false}
          autoComplete="off"
          maxLength={63}
          onChange={(e) => {
            setValue(e.target.value.trim().toLowerCase());
            setTouched(true);
          }}
        />
      </FormField>
      <div className="grid gap-1 rounded-md border bg-muted/40 px-3 py-2">
        <span className="text-xs text-muted-foreground">Your app will be at</span>
        <span
          className="flex min-w-0 items-center gap-1.5 font-mono text-sm break-all"
          data-testid="publish-url-preview"
        >
          <Globe className="size-4 shrink-0 text-muted-foreground" aria-hidden />
          {addressUrl(value || "…", knownUrl, window.location)}
        </span>
      </div>
      <div className="grid gap-2">
        <p className="text-sm leading-none font-medium">Target</p>
        <div className="flex items-start gap-2 rounded-md border border-primary/50 bg-primary/5 px-3 py-2">
          <span className="mt-1.5 size-2 shrink-0 rounded-full bg-primary" aria-hidden />
          <span className="grid">
            <span className="text-sm font-medium">This server</span>
            <span className="text-xs text-muted-foreground">
              Built and served by this platform, at the address above.
            </span>
          </span>
        </div>
      </div>
      <ErrorMessage message={otherError} />
      <DialogFooter>
        <Button type="button" variant="ghost" onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button type="submit" disabled={!!problem || pending}>
          {pending ? <Loader2 className="animate-spin" /> : <Rocket />} Publish
        </Button>
      </DialogFooter>
    </form>
  );
}
