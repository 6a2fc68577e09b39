import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap } from "@/api/unwrap";
import type { components } from "@/api/schema";

export type SandboxStatus = components["schemas"]["SandboxStatus"];
export type LogLine = components["schemas"]["LogLineRead"];
export type PreviewLink = components["schemas"]["PreviewLink"];

export const sandboxStatusKey = (projectId: string) => ["sandbox", projectId, "status"] as const;
export const sandboxLogsKey = (projectId: string) => ["sandbox", projectId, "logs"] as const;

const path = (projectId: string) => ({ params: { path: { project_id: projectId } } });

/** The sandbox's state; polled faster while it is starting (the WebSocket also pushes changes). */
export function useSandboxStatus(projectId: string) {
  return useQuery({
    queryKey: sandboxStatusKey(projectId),
    queryFn: () => unwrap(api.GET("/api/sandbox/{project_id}/status", path(projectId))),
    refetchInterval: (query) => (query.state.data?.status === "starting" ? 2000 : 15_000),
  });
}

/** The dev server's latest log lines, polled while the log is open. */
export function useSandboxLogs(projectId: string, enabled: boolean) {
  return useQuery({
    queryKey: sandboxLogsKey(projectId),
    queryFn: () =>
      unwrap(
        api.GET("/api/sandbox/{project_id}/logs", {
          params: { path: { project_id: projectId }, query: { limit: 500 } },
        }),
      ),
    enabled,
    refetchInterval: enabled ? 2000 : false,
  });
}

/** A fresh one-time preview link (each iframe creation and "open in new tab" needs its own). */
export function usePreviewLink(projectId: string) {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/sandbox/{project_id}/preview-link", path(projectId))),
  });
}

export function useRestartSandbox(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/sandbox/{project_id}/restart", path(projectId))),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sandboxStatusKey(projectId) }),
  });
}
