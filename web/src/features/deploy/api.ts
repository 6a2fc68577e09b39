import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap } from "@/api/unwrap";
import type { Deployment } from "@/api/types";

/** Everything the deploy panels cache for a project (the realtime hook refreshes it). */
export const deployKey = (projectId: string) => ["deploy", projectId] as const;
const statusKey = (projectId: string) => [...deployKey(projectId), "status"] as const;
const historyKey = (projectId: string) => [...deployKey(projectId), "history"] as const;

/** A deployment that has not ended yet. */
export function isBuilding(deployment: Deployment | null | undefined): boolean {
  return deployment?.status === "queued" || deployment?.status === "building";
}

/** A version's short name, as the versions panel shows it. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

// The socket's events refresh these; the slow poll only covers events missed on a reconnect.
const POLL_WHILE_BUILDING_MS = 5000;

export function useDeployStatus(projectId: string) {
  return useQuery({
    queryKey: statusKey(projectId),
    queryFn: () =>
      unwrap(
        api.GET("/api/deploy/{project_id}/status", { params: { path: { project_id: projectId } } }),
      ),
    refetchInterval: (query) =>
      isBuilding(query.state.data?.latest) ? POLL_WHILE_BUILDING_MS : false,
  });
}

export function useDeployHistory(projectId: string) {
  return useQuery({
    queryKey: historyKey(projectId),
    queryFn: () =>
      unwrap(
        api.GET("/api/deploy/{project_id}/history", {
          params: { path: { project_id: projectId } },
        }),
      ),
  });
}

export function usePublish(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { slug?: string }) =>
      unwrap(
        api.POST("/api/deploy/{project_id}/local", {
          params: { path: { project_id: projectId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deployKey(projectId) }),
  });
}

export function useRollback(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deploymentId: string) =>
      unwrap(
        api.POST("/api/deploy/{project_id}/rollback", {
          params: { path: { project_id: projectId } },
          body: { deployment_id: deploymentId },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deployKey(projectId) }),
  });
}
