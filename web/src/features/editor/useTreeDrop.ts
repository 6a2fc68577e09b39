import { useState, type DragEvent } from "react";
import { isFileDrag } from "./lib/upload";
import { moveTarget } from "./lib/tree";

/** The drag type of a tree row being moved. */
export const DRAG_TYPE = "application/x-appwright-path";

/**
 * Drops on the tree: a row moves into the folder it is dropped on, files from the OS are
 * uploaded there. `target` is the folder under the pointer ("" for the root), or null.
 */
export function useTreeDrop(
  upload: (files: File[], dir: string) => Promise<void>,
  move: (from: string, to: string) => Promise<void>,
) {
  const [target, setTarget] = useState<string | null>(null);

  const drop = (e: DragEvent, dir: string) => {
    e.preventDefault();
    setTarget(null);
    if (isFileDrag(e.dataTransfer.types)) {
      void upload([...e.dataTransfer.files], dir);
      return;
    }
    const source = e.dataTransfer.getData(DRAG_TYPE);
    if (!source) return;
    const to = moveTarget(source, dir);
    if (to) void move(source, to);
  };

  const over = (e: DragEvent, dir: string) => {
    const files = isFileDrag(e.dataTransfer.types);
    if (!files && !e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = files ? "copy" : "move";
    setTarget(dir);
  };

  return { target, drop, over, leave: () => setTarget(null) };
}
