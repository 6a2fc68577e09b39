import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { branchKey, readBranch, useBranch, useCreateThread, useThreads } from "./api";
import { leafThrough } from "./locate";

/**
 * The project's threads and the one shown: which thread (the newest by default) and which
 * of its branches (`leafId`: the branch ending at that message; null for the newest).
 */
export function useThread(projectId: string) {
  const queryClient = useQueryClient();
  const threads = useThreads(projectId);
  const createThread = useCreateThread(projectId);
  const { mutateAsync: newThread } = createThread;
  const [threadId, setThreadId] = useState<string | null>(null);
  const [leafId, setLeafId] = useState<string | null>(null);

  // The newest thread by default.
  const firstThread = threads.data?.[0]?.id ?? null;
  useEffect(() => {
    if (threadId === null && firstThread) setThreadId(firstThread);
  }, [threadId, firstThread]);

  const branch = useBranch(threadId, leafId);

  const open = useCallback((thread: string, leaf: string | null = null) => {
    setThreadId(thread);
    setLeafId(leaf);
  }, []);

  /** A new thread, shown; its id, or null when it could not be made. */
  const create = useCallback(async (): Promise<string | null> => {
    try {
      const created = await newThread(undefined);
      open(created.id);
      return created.id;
    } catch {
      return null;
    }
  }, [newThread, open]);

  const fetchBranch = useCallback(
    (thread: string, leaf: string) =>
      queryClient.query({
        queryKey: branchKey(thread, leaf),
        queryFn: () => readBranch(thread, leaf),
      }),
    [queryClient],
  );

  /** Shows the newest branch that goes through message `id` (a sibling). */
  const switchTo = async (id: string) => {
    const data = branch.data;
    if (!data || !threadId) return;
    const leaf = await leafThrough(fetchBranch, threadId, data.leaf_ids, id);
    if (leaf) setLeafId(leaf);
  };

  return {
    threads,
    threadId,
    thread: threads.data?.find((t) => t.id === threadId),
    branch,
    open,
    create,
    creating: createThread.isPending,
    setLeafId,
    switchTo,
    fetchBranch,
  };
}

export type ThreadView = ReturnType<typeof useThread>;
