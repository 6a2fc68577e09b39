import { ArrowUp, Paperclip, Settings2, Square, X } from "lucide-react";
import { useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { cn } from "@/lib/utils";
import type { Attachment, CatalogueModel } from "./api";
import { MAX_ATTACHMENTS, readAttachment } from "./attachments";

const DEFAULT_MODEL = "__default__";

export function Composer({
  streaming,
  stopping,
  disabled,
  models,
  model,
  onModelChange,
  onSend,
  onStop,
  onOpenSettings,
  draft,
  onDraftChange,
}: {
  streaming: boolean;
  stopping: boolean;
  disabled: boolean;
  models: CatalogueModel[];
  model: string | null;
  onModelChange: (model: string | null) => void;
  onSend: (content: string, attachments: Attachment[]) => void;
  onStop: () => void;
  onOpenSettings: () => void;
  draft: string;
  onDraftChange: (text: string) => void;
}) {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const add = async (files: File[]) => {
    const added: Attachment[] = [];
    for (const file of files) {
      const result = await readAttachment(file);
      if (typeof result === "string") toast.error(result);
      else added.push(result);
    }
    setAttachments((current) => {
      const next = [...current, ...added];
      if (next.length > MAX_ATTACHMENTS)
        toast.error(`At most ${MAX_ATTACHMENTS} attachments per message.`);
      return next.slice(0, MAX_ATTACHMENTS);
    });
  };

  const send = () => {
    const text = draft.trim();
    if (!text || streaming || disabled) return;
    onSend(text, attachments);
    setAttachments([]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    void add(files);
  };

  const onDrop = (event: DragEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDragging(false);
    void add([...event.dataTransfer.files]);
  };

  return (
    <form
      className={cn("border-t p-2", dragging && "bg-primary/5 ring-2 ring-primary/40 ring-inset")}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes("Files")) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {attachments.length > 0 && (
        <ul aria-label="Attachments" className="mb-2 flex flex-wrap gap-1.5">
          {attachments.map((a, i) => (
            <li
              key={`${a.name}-${i}`}
              className="flex items-center gap-1 rounded-md border bg-muted/40 py-0.5 pr-0.5 pl-1 text-xs"
            >
              {a.type === "image" ? (
                <img src={a.content} alt="" className="size-6 rounded object-cover" />
              ) : null}
              <span className="max-w-32 truncate">{a.name}</span>
              <Button
                type="button"
                variant="ghost"
                size="icon-sm"
                className="size-5"
                aria-label={`Remove ${a.name}`}
                onClick={() => setAttachments((cur) => cur.filter((_, j) => j !== i))}
              >
                <X />
              </Button>
            </li>
          ))}
        </ul>
      )}
      <textarea
        aria-label="Message"
        value={draft}
        onChange={(e) => onDraftChange(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        disabled={disabled}
        placeholder={dragging ? "Drop files to attach" : "Describe what to build or change…"}
        className="max-h-48 min-h-16 w-full resize-y rounded-lg border bg-background p-2 text-sm outline-none placeholder:text-muted-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-60"
      />
      <div className="mt-1.5 flex items-center gap-1">
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Attach files"
          onChange={(e) => {
            void add([...(e.target.files ?? [])]);
            e.target.value = "";
          }}
        />
        <SimpleTooltip label="Attach images or text files (or drop / paste them)">
          <Button
            type="button"
            variant="ghost"
            size="icon-sm"
            aria-label="Attach files"
            onClick={() => fileInput.current?.click()}
          >
            <Paperclip />
          </Button>
        </SimpleTooltip>
        <Select
          value={model ?? DEFAULT_MODEL}
          onValueChange={(v) => onModelChange(v === DEFAULT_MODEL ? null : v)}
        >
          <SelectTrigger aria-label="Model" className="h-8 max-w-44 px-2 text-xs">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={DEFAULT_MODEL}>Default model</SelectItem>
            {models.map((m) => (
              <SelectItem key={m.id} value={m.id}>
                {m.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <SimpleTooltip label="AI model settings">
          <Button
            type="button"
            variant="ghost"
            size="icon-sm"
            aria-label="AI model settings"
            onClick={onOpenSettings}
          >
            <Settings2 />
          </Button>
        </SimpleTooltip>
        <div className="ml-auto">
          {streaming ? (
            <Button
              type="button"
              size="sm"
              variant="destructive"
              onClick={onStop}
              disabled={stopping}
            >
              <Square /> {stopping ? "Stopping…" : "Stop"}
            </Button>
          ) : (
            <Button type="submit" size="sm" disabled={!draft.trim() || disabled}>
              <ArrowUp /> Send
            </Button>
          )}
        </div>
      </div>
    </form>
  );
}
