/**
 * Weaker models sometimes answer with code in the chat instead of a tool call. A fenced
 * block that names its file can then be offered as a file write. The file is named either
 * in the fence's info string (```tsx src/App.tsx, ```tsx title="src/App.tsx",
 * file=…, path=…) or by a comment on the block's first line (// src/App.tsx,
 * # app.py, <!-- index.html -->, /* styles.css *\/, with an optional "File:" label).
 */

export interface CodeFile {
  path: string;
  /** The content to write: the block without a first-line path comment. */
  content: string;
}

// A relative path with an extension: no spaces, no leading slash, no "..".
const PATH =
  /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[\w@.+\-[\]()]+(?:\/[\w@.+\-[\]()]+)*\.[A-Za-z0-9]+$/;
const META_KEY = /(?:^|\s)(?:title|file|filename|path)=(?:"([^"]+)"|'([^']+)'|(\S+))/;
const COMMENT =
  /^\s*(?:\/\/|#|--|;|\/\*|<!--)\s*(?:(?:file|filename|filepath|path)\s*:\s*)?(\S+?)\s*(?:\*\/|-->)?\s*$/i;

function asPath(candidate: string | undefined): string | null {
  if (!candidate) return null;
  const path = candidate.replace(/^\.\//, "").replace(/[:,]$/, "");
  return PATH.test(path) ? path : null;
}

/** The file a fenced code block names, or null when it names none. */
export function codeBlockFile(meta: string | null | undefined, code: string): CodeFile | null {
  const info = (meta ?? "").trim();
  if (info) {
    const keyed = META_KEY.exec(info);
    const fromMeta = keyed
      ? asPath(keyed[1] ?? keyed[2] ?? keyed[3])
      : info.split(/\s+/).map(asPath).find(Boolean);
    if (fromMeta) return { path: fromMeta, content: withNewline(code) };
  }
  const [first = "", ...rest] = code.split("\n");
  const comment = COMMENT.exec(first);
  const fromComment = comment ? asPath(comment[1]) : null;
  if (fromComment && rest.some((line) => line.trim()))
    return { path: fromComment, content: withNewline(rest.join("\n")) };
  return null;
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
