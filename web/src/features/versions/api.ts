import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { ApiError } from "@/api/errors";
import type { components } from "@/api/schema";
import { unwrap, unwrapEmpty } from "@/api/unwrap";
import { branchesKey, threadsKey } from "@/features/chat/api";
import { treeKey } from "@/features/editor/api";
import { conflictOf, type MergeOutcome } from "./merge";

type Schemas = components["schemas"];
export type Version = Schemas["VersionRead"];
export type FileDiff = Schemas["FileDiffRead"];
export type RevertResult = Schemas["RevertRead"];
export type Branch = Schemas["BranchRead"];

const PAGE = 50;

export const versionsKey = (projectId: string) => ["versions", projectId] as const;
const timelineKey = (projectId: string) => ["versions", projectId, "timeline"] as const;
const headFileKey = (projectId: string, path: string) =>
  ["versions", projectId, "head-file", path] as const;

export function useTimeline(projectId: string) {
  return useInfiniteQuery({
    queryKey: timelineKey(projectId),
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/version-history/{project_id}", {
          params: { path: { project_id: projectId }, query: { limit: PAGE, offset: pageParam } },
        }),
      ),
    getNextPageParam: (last) => (last.has_more ? last.offset + last.limit : undefined),
  });
}

export function useVersionStatus(projectId: string) {
  return useQuery({
    queryKey: ["versions", projectId, "status"],
    queryFn: () =>
      unwrap(
        api.GET("/api/version-history/{project_id}/status", {
          params: { path: { project_id: projectId } },
        }),
      ),
  });
}

export function useVersionDiff(projectId: string, from: string | null, to: string | null) {
  return useQuery({
    queryKey: ["versions", projectId, "diff", from, to],
    enabled: from !== null && to !== null,
    staleTime: Infinity, // two commits never change
    queryFn: () =>
      unwrap(
        api.GET("/api/version-history/{project_id}/diff", {
          params: { path: { project_id: projectId }, query: { from: from ?? "", to: to ?? "" } },
        }),
      ),
  });
}

/**
 * A file's content in the current version (HEAD), for the editor's change gutter;
 * "" when the file is new since then, null when there is no version (or it is binary).
 */
export function useHeadFile(projectId: string, path: string | null) {
  return useQuery({
    queryKey: headFileKey(projectId, path ?? ""),
    enabled: path !== null,
    queryFn: async (): Promise<string | null> => {
      try {
        const file = await unwrap(
          api.GET("/api/version-history/{project_id}/file", {
            params: { path: { project_id: projectId }, query: { rev: "HEAD", path: path ?? "" } },
          }),
        );
        return file.encoding === "utf-8" ? file.content : null;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return "";
        throw error;
      }
    },
    retry: false,
  });
}

function useInvalidateVersions(projectId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: versionsKey(projectId) }),
      queryClient.invalidateQueries({ queryKey: treeKey(projectId) }),
    ]);
}

export function useSaveVersion(projectId: string) {
  const invalidate = useInvalidateVersions(projectId);
  return useMutation({
    mutationFn: (message: string | null) =>
      unwrap(
        api.POST("/api/version-history/{project_id}/save", {
          params: { path: { project_id: projectId } },
          body: { message },
        }),
      ),
    onSettled: invalidate,
  });
}

export function useRevert(projectId: string) {
  const invalidate = useInvalidateVersions(projectId);
  return useMutation({
    mutationFn: (commitHash: string) =>
      unwrap(
        api.POST("/api/version-history/{project_id}/revert", {
          params: { path: { project_id: projectId } },
          body: { commit_hash: commitHash },
        }),
      ),
    onSettled: invalidate,
  });
}

/**
 * Revert the code to the version an AI message made; the chat's threads and messages
 * refresh (the chat then continues from that message on a new branch).
 */
export function useRestoreToMessage(projectId: string) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateVersions(projectId);
  return useMutation({
    mutationFn: (messageId: string) =>
      unwrap(
        api.POST("/api/version-history/{project_id}/restore-to-message", {
          params: { path: { project_id: projectId } },
          body: { message_id: messageId },
        }),
      ),
    onSettled: () =>
      Promise.all([
        invalidate(),
        queryClient.invalidateQueries({ queryKey: threadsKey(projectId) }),
        queryClient.invalidateQueries({ queryKey: branchesKey }),
      ]),
  });
}

export function useBranches(projectId: string) {
  return useQuery({
    queryKey: ["versions", projectId, "branches"],
    queryFn: () =>
      unwrap(
        api.GET("/api/version-history/{project_id}/branches", {
          params: { path: { project_id: projectId } },
        }),
      ),
  });
}

export function useSwitchBranch(projectId: string) {
  const invalidate = useInvalidateVersions(projectId);
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(
        api.POST("/api/version-history/{project_id}/branches/switch", {
          params: { path: { project_id: projectId } },
          body: { name },
        }),
      ),
    onSettled: invalidate,
  });
}

export function useCreateBranch(projectId: string) {
  const invalidate = useInvalidateVersions(projectId);
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(
        api.POST("/api/version-history/{project_id}/branches", {
          params: { path: { project_id: projectId } },
          body: { name, start: "HEAD", switch: true },
        }),
      ),
    onSettled: invalidate,
  });
}

/** Merge `source` into the current branch; a conflict is an outcome (with its files), not an error. */
export function useMergeBranch(projectId: string) {
  const invalidate = useInvalidateVersions(projectId);
  return useMutation({
    mutationFn: async (source: string): Promise<MergeOutcome> => {
      const answer = await api.POST("/api/version-history/{project_id}/branches/merge", {
        params: { path: { project_id: projectId } },
        body: { source },
      });
      const conflict = conflictOf(answer.response.status, answer.error, source);
      if (conflict) return { kind: "conflict", ...conflict };
      return { kind: "merged", source, result: await unwrap(Promise.resolve(answer)) };
    },
    onSettled: invalidate,
  });
}

/** Delete a branch; without `force` the server refuses one whose versions exist nowhere else. */
export function useDeleteBranch(projectId: string) {
  const invalidate = useInvalidateVersions(projectId);
  return useMutation({
    mutationFn: ({ name, force }: { name: string; force: boolean }) =>
      unwrapEmpty(
        api.DELETE("/api/version-history/{project_id}/branches/{name}", {
          params: { path: { project_id: projectId, name }, query: force ? { force } : {} },
        }),
      ),
    onSettled: invalidate,
  });
}
