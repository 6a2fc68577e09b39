import { Check, ChevronLeft, ChevronRight, Copy, GitCommitHorizontal } from "lucide-react";
import type { ComponentProps } from "react";
import { Button } from "@/components/ui/button";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { useCopyToClipboard } from "@/lib/hooks";
import type { Attachment } from "./api";
import { formatCost } from "./format";

/** A message shown from elsewhere (a version's "chat message" link) stands out for a moment. */
export const HIGHLIGHT = "rounded-lg ring-2 ring-primary ring-offset-2 ring-offset-background";

/** A small icon button under a message, named by `label`, with a `tooltip` if given. */
export function MessageButton({
  label,
  tooltip,
  ...props
}: { label: string; tooltip?: string } & ComponentProps<typeof Button>) {
  const button = (
    <Button variant="ghost" size="icon-sm" className="size-6" aria-label={label} {...props} />
  );
  return tooltip ? <SimpleTooltip label={tooltip}>{button}</SimpleTooltip> : button;
}

export function UsageLine({ tokens, cost }: { tokens: number; cost: number }) {
  if (tokens === 0 && cost === 0) return null;
  return (
    <span data-testid="message-usage" className="text-[11px] text-muted-foreground tabular-nums">
      {tokens.toLocaleString()} tokens · {formatCost(cost)}
    </span>
  );
}

/** "‹ 2/3 ›" between the sibling branches a message has (edits, regenerations). */
export function BranchSwitcher({
  ids,
  current,
  onSwitch,
}: {
  ids: string[];
  current: string;
  onSwitch: (id: string) => void;
}) {
  const index = ids.indexOf(current);
  if (ids.length < 2 || index === -1) return null;
  const prev = ids[index - 1];
  const next = ids[index + 1];
  return (
    <span
      className="flex items-center text-[11px] text-muted-foreground tabular-nums"
      role="group"
      aria-label="Branches"
    >
      <MessageButton
        label="Previous branch"
        disabled={!prev}
        onClick={() => prev && onSwitch(prev)}
      >
        <ChevronLeft />
      </MessageButton>
      {index + 1}/{ids.length}
      <MessageButton label="Next branch" disabled={!next} onClick={() => next && onSwitch(next)}>
        <ChevronRight />
      </MessageButton>
    </span>
  );
}

export function CopyButton({ text }: { text: string }) {
  const { copied, copy } = useCopyToClipboard();
  return (
    <MessageButton label={copied ? "Copied" : "Copy message"} onClick={() => void copy(text)}>
      {copied ? <Check /> : <Copy />}
    </MessageButton>
  );
}

export function AttachmentChips({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <div className="mb-1 flex flex-wrap gap-1.5">
      {attachments.map((a, i) =>
        a.type === "image" ? (
          <img
            key={i}
            src={a.content}
            alt={a.name}
            className="size-14 rounded border object-cover"
          />
        ) : (
          <span key={i} className="rounded border bg-background px-1.5 py-0.5 text-[11px]">
            {a.name}
          </span>
        ),
      )}
    </div>
  );
}

/** The version a reply's changes were saved as. */
export function VersionLine({ hash, description }: { hash: string; description: string | null }) {
  return (
    <p
      className="mt-1 flex items-center gap-1 text-[11px] text-muted-foreground"
      data-testid="message-version"
    >
      <GitCommitHorizontal className="size-3" aria-hidden />
      Saved as version <span className="font-mono">{hash.slice(0, 7)}</span>
      {description && <span className="truncate">· {description}</span>}
    </p>
  );
}
