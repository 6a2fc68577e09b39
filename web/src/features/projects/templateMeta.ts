import { Atom, FileCode2, Hexagon, Triangle, type LucideIcon } from "lucide-react";
import type { TemplateId } from "@/api/types";

export interface TemplateMeta {
  label: string;
  icon: LucideIcon;
  tint: string;
}

const META: Record<TemplateId, TemplateMeta> = {
  nextjs: { label: "Next.js", icon: Triangle, tint: "from-zinc-700 to-zinc-900 text-white" },
  "react-vite": {
    label: "React + Vite",
    icon: Atom,
    tint: "from-sky-400 to-indigo-500 text-white",
  },
  "vue-vite": {
    label: "Vue + Vite",
    icon: Hexagon,
    tint: "from-emerald-400 to-teal-600 text-white",
  },
  static: {
    label: "Static site",
    icon: FileCode2,
    tint: "from-amber-400 to-orange-500 text-white",
  },
};

export function templateMeta(id: TemplateId): TemplateMeta {
  return META[id];
}
