import { useCallback, useEffect, useState } from "react";
import { ancestors } from "./lib/tree";

/** The folders open in the file tree; the active file's folders open with it. */
export function useTreeExpansion(activePath: string | null) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  const toggle = useCallback((dir: string, open?: boolean) => {
    setExpanded((current) => {
      const next = new Set(current);
      const shouldOpen = open ?? !next.has(dir);
      if (shouldOpen) next.add(dir);
      else next.delete(dir);
      return next;
    });
  }, []);

  useEffect(() => {
    if (!activePath) return;
    setExpanded((current) => {
      const missing = ancestors(activePath).filter((d) => !current.has(d));
      return missing.length ? new Set([...current, ...missing]) : current;
    });
  }, [activePath]);

  /** Opens `dir` and the folders above it. */
  const reveal = useCallback(
    (dir: string) => {
      for (const d of [...ancestors(dir), dir]) toggle(d, true);
    },
    [toggle],
  );

  return { expanded, toggle, reveal };
}
