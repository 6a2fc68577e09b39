import { DiffEditor, type DiffOnMount } from "@monaco-editor/react";
import { Spinner } from "../Spinner";
import { monaco } from "./setup";

type DiffEditorInstance = Parameters<DiffOnMount>[0];

export interface DiffViewProps {
  /** Names the models (and picks the language from the extension). */
  path: string;
  /** Keeps the models of different diffs apart (e.g. "v-<from>-<to>" or "conflict"). */
  scope: string;
  original: string;
  modified: string;
  theme: "vs" | "vs-dark";
  /** The right side may be edited (a merge by hand); otherwise both sides are read-only. */
  editable?: boolean;
  onMount?: (editor: DiffEditorInstance) => void;
}

function languageOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".")) : "";
  return monaco.languages
    .getLanguages()
    .find(
      (l) =>
        (l.filenames?.some((f) => f.toLowerCase() === name) ?? false) ||
        (ext !== "" && (l.extensions?.includes(ext) ?? false)),
    )?.id;
}

/** Monaco's side-by-side diff (inline when the panel is narrow). */
export default function DiffView({
  path,
  scope,
  original,
  modified,
  theme,
  editable = false,
  onMount,
}: DiffViewProps) {
  return (
    <DiffEditor
      original={original}
      modified={modified}
      language={languageOf(path)}
      originalModelPath={`inmemory://diff/${scope}/original/${path}`}
      modifiedModelPath={`inmemory://diff/${scope}/modified/${path}`}
      theme={theme}
      loading={<Spinner label="Loading diff…" />}
      onMount={onMount}
      options={{
        readOnly: !editable,
        originalEditable: false,
        renderSideBySide: true,
        useInlineViewWhenSpaceIsLimited: true,
        automaticLayout: true,
        scrollBeyondLastLine: false,
        minimap: { enabled: false },
        renderOverviewRuler: true,
      }}
    />
  );
}
