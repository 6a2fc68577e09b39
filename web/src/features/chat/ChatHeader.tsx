import { MessageSquare, Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { formatCost } from "./format";
import type { ThreadView } from "./useThread";

function threadLabel(title: string | null, createdAt: string): string {
  return (
    title ??
    `Chat of ${new Date(createdAt).toLocaleString([], { dateStyle: "short", timeStyle: "short" })}`
  );
}

export interface ChatHeaderProps {
  chat: ThreadView;
  busy: boolean;
  onSelect: (threadId: string) => void;
  onNew: () => void;
}

/** The thread picker, the thread's usage and the new thread button. */
export function ChatHeader({ chat, busy, onSelect, onNew }: ChatHeaderProps) {
  const threads = chat.threads.data ?? [];
  const usage = chat.thread?.usage;
  return (
    <div className="flex h-10 shrink-0 items-center gap-1.5 border-b px-2 text-sm">
      <MessageSquare className="size-4 shrink-0 text-muted-foreground" aria-hidden />
      {threads.length > 0 ? (
        <Select value={chat.threadId ?? ""} onValueChange={onSelect} disabled={busy}>
          <SelectTrigger
            aria-label="Thread"
            className="h-7 min-w-0 flex-1 border-none px-1.5 text-sm font-medium shadow-none"
          >
            <SelectValue placeholder="Choose a thread" />
          </SelectTrigger>
          <SelectContent>
            {threads.map((t) => (
              <SelectItem key={t.id} value={t.id}>
                {threadLabel(t.title, t.created_at)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      ) : (
        <h2 className="flex-1 font-medium">Chat</h2>
      )}
      {usage && usage.tokens > 0 && (
        <span
          className="hidden shrink-0 text-[11px] text-muted-foreground tabular-nums xl:inline"
          title="This thread's usage"
        >
          {usage.tokens.toLocaleString()} tok · {formatCost(usage.cost_usd)}
        </span>
      )}
      <SimpleTooltip label="New thread">
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="New thread"
          disabled={busy || chat.creating}
          onClick={onNew}
        >
          <Plus />
        </Button>
      </SimpleTooltip>
    </div>
  );
}
