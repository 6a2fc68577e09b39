export { EditorPanel } from "./EditorPanel";
