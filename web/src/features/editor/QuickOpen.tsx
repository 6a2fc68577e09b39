import { File } from "lucide-react";
import { useState } from "react";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { cn } from "@/lib/utils";
import { baseName, parentDir, quickOpen } from "./lib/tree";

/** "Go to file" (Ctrl+P): type part of a name, Enter opens it. */
export function QuickOpen({
  open,
  onOpenChange,
  files,
  onPick,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  files: readonly string[];
  onPick: (path: string) => void;
}) {
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState(0);
  const results = quickOpen(query, files, 50);
  const pick = (path: string | undefined) => {
    if (!path) return;
    onOpenChange(false);
    setQuery("");
    onPick(path);
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="top-[20%] translate-y-0 gap-0 p-0 sm:max-w-lg">
        <DialogTitle className="sr-only">Go to file</DialogTitle>
        <DialogDescription className="sr-only">
          Type part of a file name and press Enter.
        </DialogDescription>
        <input
          autoFocus
          aria-label="File name"
          role="combobox"
          aria-expanded
          aria-controls="quick-open-results"
          placeholder="Go to file…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setSelected(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setSelected((s) => Math.min(s + 1, results.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setSelected((s) => Math.max(s - 1, 0));
            } else if (e.key === "Enter") {
              e.preventDefault();
              pick(results[selected]);
            }
          }}
          className="h-11 w-full border-b bg-transparent px-4 text-sm outline-none"
        />
        <ul
          id="quick-open-results"
          role="listbox"
          aria-label="Files"
          className="max-h-80 overflow-auto py-1"
        >
          {results.map((path, i) => (
            <li key={path} role="option" aria-selected={i === selected}>
              <button
                type="button"
                onMouseEnter={() => setSelected(i)}
                onClick={() => pick(path)}
                className={cn(
                  "flex w-full items-center gap-2 px-4 py-1.5 text-left text-sm",
                  i === selected && "bg-accent",
                )}
              >
                <File className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                <span className="truncate">{baseName(path)}</span>
                <span className="truncate text-xs text-muted-foreground">{parentDir(path)}</span>
              </button>
            </li>
          ))}
          {results.length === 0 && (
            <li className="px-4 py-3 text-sm text-muted-foreground">No matching files.</li>
          )}
        </ul>
      </DialogContent>
    </Dialog>
  );
}
