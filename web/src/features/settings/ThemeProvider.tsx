import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import type { Theme } from "@/api/types";
import { useSession } from "@/features/auth/api";
import { useMediaQuery } from "@/lib/hooks";
import { useSaveTheme } from "./api";
import { THEME_STORAGE_KEY, ThemeContext, readStoredTheme } from "./theme";

/**
 * The signed-in user's theme (persisted on the server) wins; signed out, the last
 * choice made on this device applies. localStorage mirrors it to avoid a flash on load.
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const { data: user } = useSession();
  const saveTheme = useSaveTheme();
  const [localTheme, setLocalTheme] = useState<Theme>(readStoredTheme);
  const systemDark = useMediaQuery("(prefers-color-scheme: dark)");

  const theme: Theme = user?.theme ?? localTheme;
  const resolvedTheme = theme === "system" ? (systemDark ? "dark" : "light") : theme;

  useEffect(() => {
    const root = document.documentElement;
    root.classList.toggle("dark", resolvedTheme === "dark");
    root.style.colorScheme = resolvedTheme;
    try {
      localStorage.setItem(THEME_STORAGE_KEY, theme);
    } catch {
      // Storage can be unavailable (private mode); the theme still applies.
    }
  }, [theme, resolvedTheme]);

  const { mutate } = saveTheme;
  const signedIn = Boolean(user);
  const setTheme = useCallback(
    (next: Theme) => {
      setLocalTheme(next);
      if (signedIn) mutate(next);
    },
    [mutate, signedIn],
  );

  const value = useMemo(
    () => ({ theme, resolvedTheme, setTheme }),
    [theme, resolvedTheme, setTheme],
  );
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}
