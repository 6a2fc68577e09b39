import { Button } from "@/components/ui/button";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { SimpleTooltip } from "@/components/ui/tooltip";
import { VIEWPORTS, ZOOMS, type Viewport } from "./viewports";

export interface ViewportPickerProps {
  viewport: Viewport;
  onViewportChange: (viewport: Viewport) => void;
  zoom: string;
  onZoomChange: (zoom: string) => void;
}

/** The preview's device width (mobile, tablet, desktop) and zoom. */
export function ViewportPicker({
  viewport,
  onViewportChange,
  zoom,
  onZoomChange,
}: ViewportPickerProps) {
  return (
    <>
      <div role="group" aria-label="Viewport" className="flex">
        {VIEWPORTS.map((v) => (
          <SimpleTooltip key={v.id} label={v.label}>
            <Button
              variant={viewport === v.id ? "secondary" : "ghost"}
              size="icon-sm"
              aria-label={`${v.label} viewport`}
              aria-pressed={viewport === v.id}
              onClick={() => onViewportChange(v.id)}
            >
              <v.icon />
            </Button>
          </SimpleTooltip>
        ))}
      </div>
      <Select value={zoom} onValueChange={onZoomChange}>
        <SelectTrigger aria-label="Zoom" className="h-8 w-[4.5rem] px-2 text-xs">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {ZOOMS.map((z) => (
            <SelectItem key={z} value={z}>
              {Math.round(Number(z) * 100)}%
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </>
  );
}
