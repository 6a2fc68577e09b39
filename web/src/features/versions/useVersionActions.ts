import { useCallback, useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { useRestoreToMessage, useRevert, type Version } from "./api";

/**
 * The versions picked to compare (two at most), and what changes the project's files:
 * restoring a version, restoring the code of a chat message, a merge. Each clears the
 * picks and has the open editors reload the files the new version changed.
 */
export function useVersionActions(projectId: string, bus: WorkspaceBus) {
  const revert = useRevert(projectId);
  const restoreToMessage = useRestoreToMessage(projectId);
  const [selected, setSelected] = useState<string[]>([]);

  const select = useCallback((hash: string, on: boolean) => {
    setSelected((s) =>
      on ? [...s.filter((h) => h !== hash), hash].slice(-2) : s.filter((h) => h !== hash),
    );
  }, []);

  // Open editors reload the files a new version changed (the server's WebSocket says the
  // same; a second reload of an unchanged file is a no-op).
  const changed = useCallback(
    (version: Version | null) => {
      setSelected([]);
      const paths = version?.files_changed ?? [];
      if (paths.length) {
        bus.publish({
          type: "server",
          event: "file:updated",
          data: { paths, kind: "updated", author: "person" },
        });
      }
    },
    [bus],
  );

  const restore = (version: Version) => {
    revert.mutate(version.hash, {
      onSuccess: (result) => {
        toast.success(
          result.version
            ? `Restored ${version.short_hash} as a new version`
            : "Already at that version",
        );
        changed(result.version);
      },
      onError: (e) => toast.error(`Could not restore: ${errorMessage(e)}`),
    });
  };

  const restoreMessage = (version: Version) => {
    const messageId = version.message_id;
    if (!messageId) return;
    restoreToMessage.mutate(messageId, {
      onSuccess: (result) => {
        toast.success(
          result.version
            ? `Restored the code of ${version.short_hash}; the chat continues from its message`
            : "The code already matches that message; the chat continues from it",
        );
        changed(result.version);
        bus.publish({ type: "chat:continue-from", messageId });
      },
      onError: (e) => toast.error(`Could not restore: ${errorMessage(e)}`),
    });
  };

  return { selected, select, restore, restoreMessage, merged: changed };
}
