import { Pencil } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import type { Attachment, ChatMessage } from "./api";
import { AttachmentChips, BranchSwitcher, HIGHLIGHT, MessageButton } from "./MessageParts";

export interface UserBubbleProps {
  /** The saved message; absent for the prompt of the live turn. */
  message?: ChatMessage;
  content: string;
  attachments?: Attachment[];
  busy: boolean;
  highlighted?: boolean;
  onEdit?: (id: string, content: string) => void;
  onSwitch?: (id: string) => void;
}

/** A person's message; editing it sends the new text as a new branch. */
export function UserBubble({
  message,
  content,
  attachments = [],
  busy,
  highlighted = false,
  onEdit,
  onSwitch,
}: UserBubbleProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(content);
  if (editing && message && onEdit) {
    return (
      <form
        className="ml-8 grid gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft.trim()) return;
          setEditing(false);
          onEdit(message.id, draft.trim());
        }}
      >
        <Textarea
          aria-label="Edit message"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          className="min-h-20 text-sm"
          autoFocus
        />
        <div className="flex justify-end gap-2">
          <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
          <Button type="submit" size="sm" disabled={busy}>
            Save and send
          </Button>
        </div>
      </form>
    );
  }
  return (
    <div
      className={cn(
        "group ml-8 flex flex-col items-end transition-shadow",
        highlighted && HIGHLIGHT,
      )}
      data-testid="chat-message"
      data-role="user"
      data-message-id={message?.id}
      data-highlighted={highlighted || undefined}
    >
      <div className="max-w-full rounded-2xl rounded-br-sm bg-primary/10 px-3 py-2 text-sm whitespace-pre-wrap break-words">
        <AttachmentChips attachments={attachments} />
        {content}
      </div>
      {message && (
        <div className="flex items-center gap-0.5 opacity-70 group-hover:opacity-100">
          {onSwitch && (
            <BranchSwitcher
              ids={message.sibling_ids ?? []}
              current={message.id}
              onSwitch={onSwitch}
            />
          )}
          {onEdit && (
            <MessageButton
              label="Edit message"
              tooltip="Edit (starts a new branch)"
              disabled={busy}
              onClick={() => {
                setDraft(content);
                setEditing(true);
              }}
            >
              <Pencil />
            </MessageButton>
          )}
        </div>
      )}
    </div>
  );
}
