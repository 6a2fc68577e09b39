import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap, unwrapEmpty } from "@/api/unwrap";
import { downloadUrl } from "@/lib/download";

export const envKey = (projectId: string) => ["projects", "env", projectId] as const;

export function useEnvVars(projectId: string, enabled = true) {
  return useQuery({
    queryKey: envKey(projectId),
    queryFn: () =>
      unwrap(
        api.GET("/api/projects/{project_id}/env", { params: { path: { project_id: projectId } } }),
      ),
    enabled,
  });
}

export function useSetEnvVar(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, value }: { key: string; value: string }) =>
      unwrap(
        api.PUT("/api/projects/{project_id}/env/{key}", {
          params: { path: { project_id: projectId, key } },
          body: { value },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: envKey(projectId) }),
  });
}

export function useDeleteEnvVar(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: string) =>
      unwrapEmpty(
        api.DELETE("/api/projects/{project_id}/env/{key}", {
          params: { path: { project_id: projectId, key } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: envKey(projectId) }),
  });
}

export function useRevealEnvVar(projectId: string) {
  return useMutation({
    mutationFn: (key: string) =>
      unwrap(
        api.POST("/api/projects/{project_id}/env/{key}/reveal", {
          params: { path: { project_id: projectId, key } },
        }),
      ),
  });
}

/**
 * Download the project as a zip, streamed to disk by the browser. A first API call
 * renews an expired session (the download itself is a plain navigation).
 */
export function useDownloadProject(projectId: string) {
  return useMutation({
    mutationFn: async () => {
      await unwrap(
        api.GET("/api/projects/{project_id}", { params: { path: { project_id: projectId } } }),
      );
      downloadUrl(`/api/projects/${encodeURIComponent(projectId)}/download`);
    },
  });
}
