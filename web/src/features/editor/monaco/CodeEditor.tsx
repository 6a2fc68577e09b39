import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useState } from "react";
import { useLatest } from "@/lib/hooks";
import type { EditorSettings } from "../api";
import { Spinner } from "../Spinner";
import { lineMarks, type LineMarkKind } from "../lib/lineDiff";
import type { RevealRequest } from "../useEditorController";
import { loadProjectModels, type CodeFile } from "./projectModels";
import { fileUri, monaco } from "./setup";

type CodeEditorInstance = Parameters<OnMount>[0];

export interface CodeEditorProps {
  projectId: string;
  /** The project's files: its code files become models for cross-file IntelliSense. */
  files: readonly CodeFile[];
  path: string;
  value: string;
  readOnly: boolean;
  settings: EditorSettings;
  theme: "vs" | "vs-dark";
  /** The file at the last version ("" when new since); null hides the change gutter. */
  headContent: string | null;
  reveal: RevealRequest | null;
  onChange: (value: string) => void;
  onSave: () => void;
  onQuickOpen: () => void;
  onCursor?: (line: number, column: number) => void;
}

const GUTTER_CLASS: Record<LineMarkKind, string> = {
  added: "aw-gutter-added",
  modified: "aw-gutter-modified",
  deleted: "aw-gutter-deleted",
};

/** Monaco on one file at a time; each file keeps its own model (undo, view state). */
export default function CodeEditor(props: CodeEditorProps) {
  const { projectId, files, path, value, readOnly, settings, theme, headContent, reveal } = props;
  const [editor, setEditor] = useState<CodeEditorInstance | null>(null);
  const handlers = useLatest(props);

  const onMount: OnMount = (instance) => {
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () =>
      handlers.current.onSave(),
    );
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyP, () =>
      handlers.current.onQuickOpen(),
    );
    instance.onDidChangeCursorPosition((e) =>
      handlers.current.onCursor?.(e.position.lineNumber, e.position.column),
    );
    // Saving when focus leaves the editor, as VS Code's "onFocusChange" autosave does.
    instance.onDidBlurEditorText(() => {
      if (handlers.current.settings.auto_save) handlers.current.onSave();
    });
    setEditor(instance);
  };

  useEffect(() => {
    const controller = new AbortController();
    void loadProjectModels(projectId, files, controller.signal);
    return () => controller.abort();
  }, [projectId, files]);

  // Indentation is a model setting: apply the person's tab size to every file shown.
  useEffect(() => {
    editor?.getModel()?.updateOptions({
      tabSize: settings.tab_size,
      indentSize: settings.tab_size,
      insertSpaces: true,
    });
  }, [editor, path, settings.tab_size]);

  // Lines changed since the last version, recomputed when typing pauses.
  useEffect(() => {
    if (!editor) return;
    const collection = editor.createDecorationsCollection();
    const timer = setTimeout(() => {
      if (headContent === null) return;
      collection.set(
        lineMarks(headContent, value).map((mark) => ({
          range: new monaco.Range(mark.startLine, 1, mark.endLine, 1),
          options: {
            isWholeLine: true,
            linesDecorationsClassName: GUTTER_CLASS[mark.kind],
            overviewRuler: {
              color:
                mark.kind === "added"
                  ? "#2ea043"
                  : mark.kind === "modified"
                    ? "#1f6feb"
                    : "#da3633",
              position: monaco.editor.OverviewRulerLane.Left,
            },
          },
        })),
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      collection.clear();
    };
  }, [editor, headContent, value, path]);

  useEffect(() => {
    if (!editor || reveal?.path !== path) return;
    const line = Math.max(1, reveal.line);
    editor.revealLineInCenter(line);
    editor.setPosition({ lineNumber: line, column: 1 });
    editor.focus();
  }, [editor, reveal, path]);

  return (
    <Editor
      path={fileUri(path).toString()}
      value={value}
      theme={theme}
      loading={<Spinner label="Loading editor…" />}
      onMount={onMount}
      onChange={(next) => {
        if (!handlers.current.readOnly) handlers.current.onChange(next ?? "");
      }}
      options={{
        readOnly,
        readOnlyMessage: { value: "The AI is writing this file…" },
        fontSize: settings.font_size,
        tabSize: settings.tab_size,
        detectIndentation: false,
        minimap: { enabled: settings.minimap },
        wordWrap: settings.word_wrap ? "on" : "off",
        automaticLayout: true,
        autoIndent: "full",
        matchBrackets: "always",
        bracketPairColorization: { enabled: true },
        guides: { bracketPairs: "active", indentation: true },
        autoClosingBrackets: "languageDefined",
        formatOnPaste: false,
        scrollBeyondLastLine: false,
        smoothScrolling: true,
        fixedOverflowWidgets: true,
        lineDecorationsWidth: 12,
        "semanticHighlighting.enabled": true,
      }}
    />
  );
}
