import { Loader2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { ErrorMessage, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useDeleteProject } from "./api";

interface Props {
  project: Pick<Project, "id" | "name"> | null;
  onOpenChange: (open: boolean) => void;
  onDeleted?: (project: Pick<Project, "id" | "name">) => void;
}

/** Deleting is irreversible, so the user must type the project's exact name. */
export function DeleteProjectDialog({ project, onOpenChange, onDeleted }: Props) {
  return (
    <AlertDialog open={project !== null} onOpenChange={onOpenChange}>
      <AlertDialogContent>
        {project ? (
          <DeleteForm
            key={project.id}
            project={project}
            onDone={() => {
              onOpenChange(false);
              onDeleted?.(project);
            }}
          />
        ) : null}
      </AlertDialogContent>
    </AlertDialog>
  );
}

function DeleteForm({
  project,
  onDone,
}: {
  project: Pick<Project, "id" | "name">;
  onDone: () => void;
}) {
  const [typed, setTyped] = useState("");
  const remove = useDeleteProject();
  const matches = typed === project.name;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    remove.mutate({ id: project.id, confirmName: typed }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={onSubmit} className="grid gap-4">
      <AlertDialogHeader>
        <AlertDialogTitle>Delete project?</AlertDialogTitle>
        <AlertDialogDescription>
          This permanently deletes{" "}
          <span className="font-semibold text-foreground">{project.name}</span>, its files, chat
          history and versions. This cannot be undone.
        </AlertDialogDescription>
      </AlertDialogHeader>
      <ErrorMessage message={remove.isError ? errorMessage(remove.error) : null} />
      <FormField
        id="delete-project-confirm"
        label={
          <span>
            Type <span className="font-mono font-semibold">{project.name}</span> to confirm
          </span>
        }
      >
        <Input
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </FormField>
      <AlertDialogFooter>
        <AlertDialogCancel type="button" disabled={remove.isPending}>
          Cancel
        </AlertDialogCancel>
        <Button type="submit" variant="destructive" disabled={!matches || remove.isPending}>
          {remove.isPending ? <Loader2 className="animate-spin" /> : null}
          Delete project
        </Button>
      </AlertDialogFooter>
    </form>
  );
}
