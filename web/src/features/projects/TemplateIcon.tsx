import type { TemplateId } from "@/api/types";
import { cn } from "@/lib/utils";
import { templateMeta } from "./templateMeta";

export function TemplateIcon({
  template,
  className,
}: {
  template: TemplateId;
  className?: string;
}) {
  const meta = templateMeta(template);
  const Icon = meta.icon;
  return (
    <span
      aria-hidden
      className={cn(
        "grid size-9 shrink-0 place-items-center rounded-lg bg-gradient-to-br shadow-sm",
        meta.tint,
        className,
      )}
    >
      <Icon className="size-4" />
    </span>
  );
}
