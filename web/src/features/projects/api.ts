import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { Project, TemplateId } from "@/api/types";
import { unwrap, unwrapEmpty } from "@/api/unwrap";

export const PAGE_SIZE = 24;

export interface ProjectFilters {
  q: string;
  template: string;
  page: number;
}

export const projectKeys = {
  all: ["projects"] as const,
  list: (filters: ProjectFilters) => ["projects", "list", filters] as const,
  detail: (id: string) => ["projects", "detail", id] as const,
};

export function useProjects(filters: ProjectFilters) {
  return useQuery({
    queryKey: projectKeys.list(filters),
    queryFn: () =>
      unwrap(
        api.GET("/api/projects", {
          params: {
            query: {
              q: filters.q || undefined,
              template: filters.template || undefined,
              page: filters.page,
              page_size: PAGE_SIZE,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useProject(id: string) {
  return useQuery({
    queryKey: projectKeys.detail(id),
    queryFn: () =>
      unwrap(api.GET("/api/projects/{project_id}", { params: { path: { project_id: id } } })),
  });
}

export function useTemplates() {
  return useQuery({
    queryKey: ["templates"],
    queryFn: () => unwrap(api.GET("/api/templates")),
    staleTime: Infinity,
  });
}

function useProjectCacheUpdate() {
  const queryClient = useQueryClient();
  return async (project?: Project) => {
    if (project) queryClient.setQueryData(projectKeys.detail(project.id), project);
    await queryClient.invalidateQueries({ queryKey: [...projectKeys.all, "list"] });
  };
}

export function useCreateProject() {
  const update = useProjectCacheUpdate();
  return useMutation({
    mutationFn: (body: { name: string; description?: string; template: TemplateId }) =>
      unwrap(api.POST("/api/projects", { body })),
    onSuccess: (project) => update(project),
  });
}

export function useUpdateProject(id: string) {
  const update = useProjectCacheUpdate();
  return useMutation({
    mutationFn: (body: { name?: string; description?: string }) =>
      unwrap(api.PUT("/api/projects/{project_id}", { params: { path: { project_id: id } }, body })),
    onSuccess: (project) => update(project),
  });
}

export function useDuplicateProject() {
  const update = useProjectCacheUpdate();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name?: string }) =>
      unwrap(
        api.POST("/api/projects/{project_id}/duplicate", {
          params: { path: { project_id: id } },
          body: name ? { name } : {},
        }),
      ),
    onSuccess: (project) => update(project),
  });
}

export function useDeleteProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, confirmName }: { id: string; confirmName: string }) =>
      unwrapEmpty(
        api.DELETE("/api/projects/{project_id}", {
          params: { path: { project_id: id }, query: { confirm_name: confirmName } },
        }),
      ),
    onSuccess: async (_data, { id }) => {
      queryClient.removeQueries({ queryKey: projectKeys.detail(id) });
      await queryClient.invalidateQueries({ queryKey: [...projectKeys.all, "list"] });
    },
  });
}
