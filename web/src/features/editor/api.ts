import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { ApiError } from "@/api/errors";
import type { components } from "@/api/schema";
import type { User } from "@/api/types";
import { unwrap, unwrapEmpty } from "@/api/unwrap";
import { sessionKey, useSession } from "@/features/auth/api";
import { sortTree, type TreeNode } from "./lib/tree";
import { uploadProblem } from "./lib/upload";

type Schemas = components["schemas"];
export type FileRead = Schemas["FileRead"];
export type FileWritten = Schemas["FileWritten"];
export type SearchHit = Schemas["SearchHitRead"];
export type SearchRequest = Schemas["SearchRequest"];
export type EditorSettings = Schemas["EditorSettings"];

export const filesKey = (projectId: string) => ["files", projectId] as const;
export const treeKey = (projectId: string) => ["files", projectId, "tree"] as const;

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = {
  theme: "auto",
  font_size: 14,
  tab_size: 2,
  auto_save: true,
  auto_save_delay_ms: 1000,
  format_on_save: false,
  minimap: true,
  word_wrap: false,
};

export function useFileTree(projectId: string) {
  return useQuery({
    queryKey: treeKey(projectId),
    queryFn: async () => {
      const tree = await unwrap(
        api.GET("/api/files/{project_id}/tree", { params: { path: { project_id: projectId } } }),
      );
      return { ...tree, root: sortTree(tree.root as TreeNode) };
    },
  });
}

/** A file's current content and ETag (the query form of the path avoids route collisions). */
export function fetchFile(projectId: string, path: string): Promise<FileRead> {
  return unwrap(
    api.GET("/api/files/{project_id}", {
      params: { path: { project_id: projectId }, query: { path } },
    }),
  );
}

/** The file, or null when it no longer exists. */
export async function fetchFileOrNull(projectId: string, path: string): Promise<FileRead | null> {
  try {
    return await fetchFile(projectId, path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * Write a file over exactly the version `etag` (or only if absent when `etag` is null);
 * anything else on the server is a 412 `ApiError` — nothing is overwritten silently.
 */
export async function writeFile(
  projectId: string,
  path: string,
  content: string,
  etag: string | null,
): Promise<FileWritten> {
  const header = etag === null ? { "if-none-match": "*" } : { "if-match": `"${etag}"` };
  // The endpoint answers a JSONResponse (201 or 200), so the schema has no body type.
  const written = await unwrap(
    api.PUT("/api/files/{project_id}/{path}", {
      params: { path: { project_id: projectId, path }, header },
      body: { content, encoding: "utf-8" },
    }),
  );
  return written as FileWritten;
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

function useInvalidateFiles(projectId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: treeKey(projectId) });
}

export function useCreateFile(projectId: string) {
  const invalidate = useInvalidateFiles(projectId);
  return useMutation({
    mutationFn: (path: string) => writeFile(projectId, path, "", null),
    onSettled: invalidate,
  });
}

export function useMkdir(projectId: string) {
  const invalidate = useInvalidateFiles(projectId);
  return useMutation({
    mutationFn: (path: string) =>
      unwrap(
        api.POST("/api/files/{project_id}/mkdir", {
          params: { path: { project_id: projectId } },
          body: { path },
        }),
      ),
    onSettled: invalidate,
  });
}

export function useRenamePath(projectId: string) {
  const invalidate = useInvalidateFiles(projectId);
  return useMutation({
    mutationFn: ({ from, to }: { from: string; to: string }) =>
      unwrap(
        api.POST("/api/files/{project_id}/rename", {
          params: { path: { project_id: projectId } },
          body: { from, to },
        }),
      ),
    onSettled: invalidate,
  });
}

export function useDeletePath(projectId: string) {
  const invalidate = useInvalidateFiles(projectId);
  return useMutation({
    mutationFn: (path: string) =>
      unwrapEmpty(
        api.DELETE("/api/files/{project_id}/{path}", {
          params: { path: { project_id: projectId, path } },
        }),
      ),
    onSettled: invalidate,
  });
}

/** Upload one file from the OS into `directory` ("" for the root); 412 when it exists and not `overwrite`. */
export function uploadFile(projectId: string, file: File, directory: string, overwrite: boolean) {
  const form = new FormData();
  form.append("files", file, file.name);
  form.append("directory", directory);
  form.append("overwrite", String(overwrite));
  return unwrap(
    api.POST("/api/files/{project_id}/upload", {
      params: { path: { project_id: projectId } },
      body: { files: [file.name], directory, overwrite },
      bodySerializer: () => form,
    }),
  );
}

export interface UploadReport {
  uploaded: string[];
  /** Files that exist already: the person is asked whether to replace them. */
  exists: File[];
  failed: { name: string; reason: string }[];
}

/** Upload files one by one, so that each one's problem (too large, wrong type) is told apart. */
export function useUploadFiles(projectId: string) {
  const invalidate = useInvalidateFiles(projectId);
  return useMutation({
    mutationFn: async ({
      files,
      directory,
      overwrite,
    }: {
      files: File[];
      directory: string;
      overwrite: boolean;
    }) => {
      const report: UploadReport = { uploaded: [], exists: [], failed: [] };
      for (const file of files) {
        try {
          await uploadFile(projectId, file, directory, overwrite);
          report.uploaded.push(file.name);
        } catch (error) {
          const problem = uploadProblem(error);
          if (problem.kind === "exists") report.exists.push(file);
          else report.failed.push({ name: file.name, reason: problem.reason });
        }
      }
      return report;
    },
    onSettled: invalidate,
  });
}

export function useSearchFiles(projectId: string) {
  return useMutation({
    mutationFn: async (body: Omit<SearchRequest, "replace">) => {
      const result = await unwrap(
        api.POST("/api/files/{project_id}/search", {
          params: { path: { project_id: projectId } },
          body,
        }),
      );
      if (!("hits" in result)) throw new Error("unexpected replace result");
      return result;
    },
  });
}

export function useReplaceAll(projectId: string) {
  const invalidate = useInvalidateFiles(projectId);
  return useMutation({
    mutationFn: async (body: SearchRequest & { replace: string }) => {
      const result = await unwrap(
        api.POST("/api/files/{project_id}/search", {
          params: { path: { project_id: projectId } },
          body,
        }),
      );
      if (!("replacements" in result)) throw new Error("unexpected search result");
      return result;
    },
    onSettled: invalidate,
  });
}

/** The signed-in person's editor settings (defaults until they change any). */
export function useEditorSettings(): EditorSettings {
  const { data: user } = useSession();
  return user?.editor_settings ?? DEFAULT_EDITOR_SETTINGS;
}

export function useSaveEditorSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: EditorSettings) =>
      unwrap(api.PATCH("/api/users/me", { body: { editor_settings: settings } })),
    onMutate: (settings) => {
      const previous = queryClient.getQueryData<User | null>(sessionKey);
      if (previous)
        queryClient.setQueryData<User>(sessionKey, { ...previous, editor_settings: settings });
      return { previous };
    },
    onError: (_error, _settings, context) => {
      if (context?.previous) queryClient.setQueryData(sessionKey, context.previous);
    },
    onSuccess: (user) => queryClient.setQueryData(sessionKey, user),
  });
}
