import { ArrowLeft, Check, Loader2, Plus } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { errorMessage, fieldError } from "@/api/errors";
import type { Template, TemplateId } from "@/api/types";
import { Badge } from "@/components/ui/badge";
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
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import { useCreateProject, useTemplates } from "./api";
import { TemplateIcon } from "./TemplateIcon";

export function CreateProjectDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-2xl">
        {open ? <CreateProjectWizard /> : null}
      </DialogContent>
    </Dialog>
  );
}

function TemplatePicker({
  value,
  onChange,
}: {
  value: TemplateId | null;
  onChange: (id: TemplateId) => void;
}) {
  const templates = useTemplates();
  if (templates.isPending) {
    return (
      <div className="grid gap-3 sm:grid-cols-2">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
    );
  }
  if (templates.isError) return <ErrorMessage message={errorMessage(templates.error)} />;
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="sr-only">Template</legend>
      {templates.data.map((t) => (
        <TemplateOption
          key={t.id}
          template={t}
          checked={value === t.id}
          onSelect={() => onChange(t.id)}
        />
      ))}
    </fieldset>
  );
}

function TemplateOption({
  template,
  checked,
  onSelect,
}: {
  template: Template;
  checked: boolean;
  onSelect: () => void;
}) {
  return (
    <label
      data-testid="template-option"
      className={cn(
        "relative flex cursor-pointer gap-3 rounded-xl border p-4 transition-colors hover:bg-accent/50 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
        checked && "border-primary bg-primary/5 hover:bg-primary/5",
      )}
    >
      <input
        type="radio"
        name="template"
        value={template.id}
        checked={checked}
        onChange={onSelect}
        className="sr-only"
        aria-label={template.name}
      />
      <TemplateIcon template={template.id} />
      <span className="grid min-w-0 gap-1">
        <span className="font-medium">{template.name}</span>
        <span className="line-clamp-2 text-sm text-muted-foreground">{template.description}</span>
        {template.tags.length > 0 ? (
          <span className="mt-1 flex flex-wrap gap-1">
            {template.tags.slice(0, 4).map((tag) => (
              <Badge key={tag} variant="secondary" className="font-normal">
                {tag}
              </Badge>
            ))}
          </span>
        ) : null}
      </span>
      {checked ? (
        <Check className="absolute top-3 right-3 size-4 text-primary" aria-hidden />
      ) : null}
    </label>
  );
}

function CreateProjectWizard() {
  const [step, setStep] = useState<1 | 2>(1);
  const [template, setTemplate] = useState<TemplateId | null>(null);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useCreateProject();
  const navigate = useNavigate();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || !template) return;
    const trimmed = description.trim();
    create.mutate(
      { name: name.trim(), template, ...(trimmed ? { description: trimmed } : {}) },
      { onSuccess: (project) => void navigate(`/projects/${project.id}`) },
    );
  };

  if (step === 1) {
    return (
      <>
        <DialogHeader>
          <DialogTitle>New project</DialogTitle>
          <DialogDescription>Step 1 of 2 — choose what to start from.</DialogDescription>
        </DialogHeader>
        <TemplatePicker value={template} onChange={setTemplate} />
        <DialogFooter>
          <Button type="button" onClick={() => setStep(2)} disabled={!template}>
            Next
          </Button>
        </DialogFooter>
      </>
    );
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>New project</DialogTitle>
        <DialogDescription>Step 2 of 2 — name it and say what it is for.</DialogDescription>
      </DialogHeader>
      <ErrorMessage message={create.isError ? errorMessage(create.error) : null} />
      <FormField id="project-name" label="Project name" error={fieldError(create.error, "name")}>
        <Input
          autoFocus
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="My todo app"
        />
      </FormField>
      <FormField
        id="project-description"
        label="Description"
        hint="Optional. Helps you find it later."
      >
        <Textarea
          rows={3}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder="A todo list with tags and due dates"
        />
      </FormField>
      <DialogFooter className="sm:justify-between">
        <Button
          type="button"
          variant="ghost"
          onClick={() => setStep(1)}
          disabled={create.isPending}
        >
          <ArrowLeft /> Back
        </Button>
        <Button type="submit" disabled={!name.trim() || create.isPending}>
          {create.isPending ? <Loader2 className="animate-spin" /> : <Plus />}
          Create project
        </Button>
      </DialogFooter>
    </form>
  );
}
