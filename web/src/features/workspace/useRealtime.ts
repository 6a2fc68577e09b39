import { useQueryClient, type Query } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { deployKey } from "@/features/deploy/api";
import { sandboxStatusKey } from "@/features/preview/api";
import type { WorkspaceBus } from "./bus";
import { ProjectSocket, projectSocketUrl, type ConnectionState } from "./realtime";

/** Query keys that hold a project's files (the editor's tree and contents, versions). */
function touchesFiles(projectId: string) {
  return (query: Query) => {
    const key = query.queryKey;
    const head = key[0];
    return (
      key.includes(projectId) &&
      typeof head === "string" &&
      ["files", "file", "editor", "tree", "versions", "version-history"].includes(head)
    );
  };
}

/**
 * Opens the project socket for the workspace's lifetime: every server event goes on the
 * bus (`{type: "server"}`) and the matching TanStack queries are refreshed.
 */
export function useProjectRealtime(projectId: string, bus: WorkspaceBus) {
  const queryClient = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const socketRef = useRef<ProjectSocket | null>(null);

  useEffect(() => {
    const socket = new ProjectSocket(projectSocketUrl(projectId), {
      onState: setConnection,
      onMessage: ({ type, data }) => {
        bus.publish({ type: "server", event: type, data });
        if (type === "file:updated") {
          void queryClient.invalidateQueries({ predicate: touchesFiles(projectId) });
        } else if (type === "sandbox:status") {
          void queryClient.invalidateQueries({ queryKey: sandboxStatusKey(projectId) });
        } else if (type === "deployment:status" || type === "build:complete") {
          void queryClient.invalidateQueries({ queryKey: deployKey(projectId) });
        }
      },
    });
    socketRef.current = socket;
    socket.start();
    return () => {
      socket.stop();
      socketRef.current = null;
    };
  }, [projectId, bus, queryClient]);

  // AI turns change files and make versions even when no file event reached us.
  useEffect(
    () =>
      bus.subscribe((event) => {
        if (event.type === "ai:turn-done")
          void queryClient.invalidateQueries({ predicate: touchesFiles(projectId) });
      }),
    [bus, projectId, queryClient],
  );

  const send = useCallback(
    (type: string, data: Record<string, unknown>) =>
      socketRef.current?.send({ type, data }) ?? false,
    [],
  );
  return { connection, send };
}
