import { useState, type FormEvent } from "react";
import { nameError } from "./lib/tree";

/** The file tree's inline name input (a new file or folder, or a rename); null cancels. */
export function NameInput({
  initial,
  depth,
  onDone,
}: {
  initial: string;
  depth: number;
  onDone: (name: string | null) => void;
}) {
  const [value, setValue] = useState(initial);
  const error = value === initial ? null : nameError(value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!nameError(value)) onDone(value.trim());
  };
  return (
    <form onSubmit={submit} className="px-2 py-0.5" style={{ paddingLeft: 8 + depth * 12 }}>
      <input
        autoFocus
        aria-label="Name"
        aria-invalid={error !== null}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onFocus={(e) => {
          const dot = e.target.value.lastIndexOf(".");
          e.target.setSelectionRange(0, dot > 0 ? dot : e.target.value.length);
        }}
        onBlur={() => onDone(nameError(value) || value === initial ? null : value.trim())}
        onKeyDown={(e) => {
          if (e.key === "Escape") onDone(null);
        }}
        className="h-6 w-full rounded border bg-background px-1.5 text-sm outline-none focus:ring-2 focus:ring-ring aria-[invalid=true]:border-destructive"
      />
      {error && <p className="mt-0.5 text-xs text-destructive">{error}</p>}
    </form>
  );
}
