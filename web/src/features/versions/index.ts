export { VersionsPanel } from "./VersionsPanel";
