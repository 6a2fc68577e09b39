import { useEffect } from "react";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { useTimeline, useVersionStatus } from "./api";

/**
 * The project's versions (newest first) and its unsaved changes, kept fresh: the AI's
 * turns, the server's idle autosave and file changes from anywhere refetch them.
 */
export function useVersionTimeline(projectId: string, bus: WorkspaceBus) {
  const timeline = useTimeline(projectId);
  const status = useVersionStatus(projectId);
  const { refetch: refetchTimeline } = timeline;
  const { refetch: refetchStatus } = status;

  useEffect(
    () =>
      bus.subscribe((event) => {
        // `version:created`: the server saved idle edits as a version (idle autosave).
        const autosaved = event.type === "server" && event.event === "version:created";
        const fileUpdated = event.type === "server" && event.event === "file:updated";
        if (event.type === "ai:turn-done" || autosaved) void refetchTimeline();
        if (event.type === "ai:turn-done" || autosaved || fileUpdated) void refetchStatus();
      }),
    [bus, refetchTimeline, refetchStatus],
  );

  const versions = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  const pending = status.data?.changes.length ?? 0;
  return { timeline, versions, pending };
}
