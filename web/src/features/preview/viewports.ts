import { Monitor, Smartphone, Tablet } from "lucide-react";

export type Viewport = "mobile" | "tablet" | "desktop";

export const VIEWPORTS: {
  id: Viewport;
  label: string;
  width: number | null;
  icon: typeof Monitor;
}[] = [
  { id: "mobile", label: "Mobile (375 px)", width: 375, icon: Smartphone },
  { id: "tablet", label: "Tablet (768 px)", width: 768, icon: Tablet },
  { id: "desktop", label: "Desktop (full width)", width: null, icon: Monitor },
];

export const ZOOMS = ["0.5", "0.75", "1", "1.25"];

/** The frame's width in CSS pixels; null for the panel's full width. */
export function viewportWidth(viewport: Viewport): number | null {
  return VIEWPORTS.find((v) => v.id === viewport)?.width ?? null;
}
