import { fetchFile } from "../api";
import { fileUri, monaco } from "./setup";

const CODE = /\.(tsx?|jsx?|mjs|cjs|mts|cts|d\.ts)$/i;
const MAX_FILES = 400;
const MAX_BYTES = 256 * 1024;

export interface CodeFile {
  path: string;
  size: number;
}

/**
 * Give the TypeScript service the project's own code files as models, so imports between
 * them resolve (completions, go to definition, errors across files). Files already open
 * keep their models; changed files are refreshed by `refreshModel`.
 */
export async function loadProjectModels(
  projectId: string,
  files: readonly CodeFile[],
  signal: AbortSignal,
): Promise<void> {
  const wanted = files.filter((f) => CODE.test(f.path) && f.size <= MAX_BYTES).slice(0, MAX_FILES);
  const queue = wanted.filter((f) => !monaco.editor.getModel(fileUri(f.path)));
  // A function, not the property: the signal may abort during each await.
  const aborted = () => signal.aborted;
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (aborted()) return;
      try {
        const file = await fetchFile(projectId, next.path);
        const uri = fileUri(next.path);
        if (file.encoding === "utf-8" && !monaco.editor.getModel(uri) && !aborted()) {
          monaco.editor.createModel(file.content, undefined, uri);
        }
      } catch {
        // A file that vanished meanwhile is simply not known to IntelliSense.
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** Keep a background model in step with the server (open files are kept by the editor). */
export function setModelContent(path: string, content: string): void {
  const model = monaco.editor.getModel(fileUri(path));
  if (
    model &&
    model.getValue() !== content &&
    !monaco.editor.getEditors().some((e) => e.getModel() === model)
  ) {
    model.setValue(content);
  }
}

export function disposeModel(path: string): void {
  monaco.editor.getModel(fileUri(path))?.dispose();
}
