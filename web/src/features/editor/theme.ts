import { useTheme } from "@/features/settings/theme";
import { useEditorSettings } from "./api";

/** Monaco's theme: the person's editor choice, or the app's light/dark theme. */
export function useMonacoTheme(): "vs" | "vs-dark" {
  const { resolvedTheme } = useTheme();
  const { theme } = useEditorSettings();
  if (theme === "vs-dark") return "vs-dark";
  if (theme === "vs-light") return "vs";
  return resolvedTheme === "dark" ? "vs-dark" : "vs";
}
