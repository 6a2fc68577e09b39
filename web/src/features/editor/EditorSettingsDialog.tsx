import { useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { useSaveEditorSettings, type EditorSettings } from "./api";

const THEMES: { value: EditorSettings["theme"]; label: string }[] = [
  { value: "auto", label: "Follow the app theme" },
  { value: "vs-light", label: "Light" },
  { value: "vs-dark", label: "Dark" },
];

function NumberField({
  id,
  label,
  value,
  min,
  max,
  step = 1,
  onChange,
}: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange: (v: number) => void;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (Number.isFinite(n)) onChange(Math.min(max, Math.max(min, Math.round(n))));
        }}
        className="h-9 rounded-md border bg-background px-3 text-sm outline-none focus:ring-2 focus:ring-ring"
      />
    </div>
  );
}

function Check({
  id,
  label,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <label htmlFor={id} className="flex items-center gap-2 text-sm">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="size-4 accent-primary"
      />
      {label}
    </label>
  );
}

/** Editor preferences, saved on the account (they follow the person to any device). */
export function EditorSettingsDialog({
  open,
  onOpenChange,
  settings,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  settings: EditorSettings;
}) {
  const [draft, setDraft] = useState(settings);
  const save = useSaveEditorSettings();
  const set = <K extends keyof EditorSettings>(key: K, value: EditorSettings[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (o) setDraft(settings);
        onOpenChange(o);
      }}
    >
      <DialogContent className="sm:max-w-md">
        <DialogHeader>
          <DialogTitle>Editor settings</DialogTitle>
          <DialogDescription>Saved to your account.</DialogDescription>
        </DialogHeader>
        <div className="grid gap-4">
          <div className="grid gap-1.5">
            <Label htmlFor="editor-theme">Theme</Label>
            <Select
              value={draft.theme}
              onValueChange={(v) => set("theme", v as EditorSettings["theme"])}
            >
              <SelectTrigger id="editor-theme">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {THEMES.map((t) => (
                  <SelectItem key={t.value} value={t.value}>
                    {t.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="grid grid-cols-2 gap-3">
            <NumberField
              id="editor-font-size"
              label="Font size"
              value={draft.font_size}
              min={8}
              max={40}
              onChange={(v) => set("font_size", v)}
            />
            <NumberField
              id="editor-tab-size"
              label="Tab size"
              value={draft.tab_size}
              min={1}
              max={8}
              onChange={(v) => set("tab_size", v)}
            />
          </div>
          <Check
            id="editor-autosave"
            label="Save automatically"
            checked={draft.auto_save}
            onChange={(v) => set("auto_save", v)}
          />
          {draft.auto_save && (
            <NumberField
              id="editor-autosave-delay"
              label="Autosave after (ms without typing)"
              value={draft.auto_save_delay_ms}
              min={200}
              max={60000}
              step={100}
              onChange={(v) => set("auto_save_delay_ms", v)}
            />
          )}
          <Check
            id="editor-format"
            label="Format on save (Prettier)"
            checked={draft.format_on_save}
            onChange={(v) => set("format_on_save", v)}
          />
          <Check
            id="editor-minimap"
            label="Show minimap"
            checked={draft.minimap}
            onChange={(v) => set("minimap", v)}
          />
          <Check
            id="editor-wrap"
            label="Wrap long lines"
            checked={draft.word_wrap}
            onChange={(v) => set("word_wrap", v)}
          />
        </div>
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            disabled={save.isPending}
            onClick={() =>
              save.mutate(draft, {
                onSuccess: () => onOpenChange(false),
                onError: (error) => toast.error(`Settings not saved: ${errorMessage(error)}`),
              })
            }
          >
            Save
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
