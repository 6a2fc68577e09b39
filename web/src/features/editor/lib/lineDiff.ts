/**
 * Line differences between a file's last version and the editor buffer, as gutter marks
 * (added, modified, deleted) the way VS Code's SCM gutter shows them.
 */

export type LineMarkKind = "added" | "modified" | "deleted";

/** Lines are 1-based in the buffer; a deletion sits on the line after which lines went. */
export interface LineMark {
  kind: LineMarkKind;
  startLine: number;
  endLine: number;
}

type Op = "=" | "+" | "-";

/** Above this many cells the middle part is marked as modified instead of diffed. */
const MAX_CELLS = 4_000_000;

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The edit script turning `a` into `b` (LCS; common prefix and suffix trimmed first). */
export function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = Array<Op>(start).fill("=");
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    ops.push(...Array<Op>(n).fill("-"), ...Array<Op>(m).fill("+"));
  } else {
    // lcs[i][j]: LCS length of a[start+i..endA) and b[start+j..endB), in one flat array.
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          a[start + i] === b[start + j]
            ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        ops.push("=");
        i++;
        j++;
      } else if (
        j < m &&
        (i >= n || (lcs[i * width + j + 1] ?? 0) >= (lcs[(i + 1) * width + j] ?? 0))
      ) {
        ops.push("+");
        j++;
      } else {
        ops.push("-");
        i++;
      }
    }
  }
  for (let k = endA; k < a.length; k++) ops.push("=");
  return ops;
}

/** Gutter marks for `current` compared with `base` (the file at the last version). */
export function lineMarks(base: string, current: string): LineMark[] {
  if (base === current) return [];
  const ops = diffOps(splitLines(base), splitLines(current));
  const marks: LineMark[] = [];
  let line = 0; // lines of `current` consumed so far
  let k = 0;
  while (k < ops.length) {
    if (ops[k] === "=") {
      line++;
      k++;
      continue;
    }
    let deleted = 0;
    let added = 0;
    while (k < ops.length && ops[k] !== "=") {
      if (ops[k] === "-") deleted++;
      else added++;
      k++;
    }
    const first = line + 1;
    if (added === 0) {
      marks.push({ kind: "deleted", startLine: Math.max(line, 1), endLine: Math.max(line, 1) });
    } else {
      const modified = Math.min(deleted, added);
      if (modified > 0)
        marks.push({ kind: "modified", startLine: first, endLine: first + modified - 1 });
      if (added > modified)
        marks.push({ kind: "added", startLine: first + modified, endLine: first + added - 1 });
    }
    line += added;
  }
  return marks;
}
