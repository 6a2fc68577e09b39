import { Loader2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { errorMessage, fieldError } from "@/api/errors";
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
import { Input, Textarea } from "@/components/ui/input";
import { useUpdateProject } from "./api";

export function EditProjectDialog({
  project,
  onOpenChange,
}: {
  project: Project | null;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={project !== null} onOpenChange={onOpenChange}>
      <DialogContent>
        {project ? (
          <EditForm key={project.id} project={project} onDone={() => onOpenChange(false)} />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function EditForm({ project, onDone }: { project: Project; onDone: () => void }) {
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? "");
  const update = useUpdateProject(project.id);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    update.mutate(
      { name: name.trim(), description: description.trim() },
      {
        onSuccess: () => {
          toast.success("Project updated.");
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Edit project</DialogTitle>
        <DialogDescription>Change how this project is named and described.</DialogDescription>
      </DialogHeader>
      <ErrorMessage message={update.isError ? errorMessage(update.error) : null} />
      <FormField
        id="edit-project-name"
        label="Project name"
        error={fieldError(update.error, "name")}
      >
        <Input
          autoFocus
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </FormField>
      <FormField id="edit-project-description" label="Description">
        <Textarea
          rows={3}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </FormField>
      <DialogFooter>
        <Button type="submit" disabled={!name.trim() || update.isPending}>
          {update.isPending ? <Loader2 className="animate-spin" /> : null}
          Save
        </Button>
      </DialogFooter>
    </form>
  );
}
