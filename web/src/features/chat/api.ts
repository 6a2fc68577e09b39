import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/api/unwrap";

type Schemas = components["schemas"];
export type Thread = Schemas["ThreadWithUsage"];
export type Branch = Schemas["ThreadBranchRead"];
export type ChatMessage = Schemas["MessageRead"];
export type UsageTotals = Schemas["UsageTotals"];
export type LLMSettings = Schemas["LLMSettingsRead"];
export type LLMSettingsUpdate = Schemas["LLMSettingsUpdate"];
export type Attachment = Schemas["Attachment"];

export type CatalogueModel = Schemas["CatalogModelRead"];

export const threadsKey = (projectId: string) => ["chat", "threads", projectId] as const;
/** Every thread's messages (branches) are under this key. */
export const branchesKey = ["chat", "branch"] as const;
export const branchKey = (threadId: string, leafId: string | null) =>
  [...branchesKey, threadId, leafId] as const;
export const llmSettingsKey = ["settings", "llm"] as const;

export function useThreads(projectId: string) {
  return useQuery({
    queryKey: threadsKey(projectId),
    queryFn: () =>
      unwrap(api.GET("/api/threads/{project_id}", { params: { path: { project_id: projectId } } })),
  });
}

export function useCreateThread(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (title?: string) =>
      unwrap(api.POST("/api/threads", { body: { project_id: projectId, title: title ?? null } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: threadsKey(projectId) }),
  });
}

/** One branch of a thread: the newest, or the one ending at `leafId` (404 when the thread has no such message). */
export function readBranch(threadId: string, leafId: string | null) {
  return unwrap(
    api.GET("/api/messages/{thread_id}", {
      params: { path: { thread_id: threadId }, query: leafId ? { leaf_id: leafId } : {} },
    }),
  );
}

export function useBranch(threadId: string | null, leafId: string | null) {
  return useQuery({
    queryKey: branchKey(threadId ?? "", leafId),
    queryFn: () => readBranch(threadId ?? "", leafId),
    enabled: threadId !== null,
    placeholderData: keepPreviousData,
  });
}

export function useCancelMessage() {
  return useMutation({
    mutationFn: (messageId: string) =>
      unwrap(
        api.POST("/api/messages/{message_id}/cancel", {
          params: { path: { message_id: messageId } },
        }),
      ),
  });
}

export function useLLMSettings() {
  return useQuery({
    queryKey: llmSettingsKey,
    queryFn: () => unwrap(api.GET("/api/settings/llm")),
  });
}

export function useUpdateLLMSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LLMSettingsUpdate) => unwrap(api.PUT("/api/settings/llm", { body })),
    onSuccess: (data) => queryClient.setQueryData(llmSettingsKey, data),
  });
}

/** The models the settings offer (none until the settings are loaded). */
export function catalogue(settings: LLMSettings | undefined): CatalogueModel[] {
  return settings?.models ?? [];
}
