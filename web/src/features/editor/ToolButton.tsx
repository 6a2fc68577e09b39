import type { ComponentProps } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** An icon button of the editor's toolbars, named by `label`. */
export function ToolButton({
  label,
  className,
  ...props
}: { label: string } & ComponentProps<typeof Button>) {
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      className={cn("size-7", className)}
      aria-label={label}
      {...props}
    />
  );
}
