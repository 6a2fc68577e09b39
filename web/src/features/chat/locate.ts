/** Finding a message in a project's threads and branches (the fetch is passed in; tested). */
import { ApiError } from "@/api/errors";

interface BranchLike {
  messages: { id: string }[];
  leaf_ids: string[];
}

/** Reads the branch of `threadId` that ends at `leafId` (rejects with a 404 when the thread has no such message). */
export type FetchBranch = (threadId: string, leafId: string) => Promise<BranchLike>;

/** The newest branch (its last message) among `leafIds` that goes through message `id`, or null. */
export async function leafThrough(
  fetchBranch: FetchBranch,
  threadId: string,
  leafIds: string[],
  id: string,
): Promise<string | null> {
  for (const leaf of leafIds) {
    const branch = await fetchBranch(threadId, leaf);
    if (branch.messages.some((m) => m.id === id)) return leaf;
  }
  return null;
}

/**
 * Where message `id` is: its thread, the branch ending at it, and the newest whole branch
 * going through it (`leafId`). `threadIds` are tried in order (the open thread first);
 * null when none of them has the message.
 */
export async function locateMessage(
  fetchBranch: FetchBranch,
  threadIds: string[],
  id: string,
): Promise<{ threadId: string; leafId: string } | null> {
  for (const threadId of threadIds) {
    let upTo: BranchLike;
    try {
      upTo = await fetchBranch(threadId, id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) continue;
      throw error;
    }
    if (!upTo.messages.some((m) => m.id === id)) continue;
    return {
      threadId,
      leafId: (await leafThrough(fetchBranch, threadId, upTo.leaf_ids, id)) ?? id,
    };
  }
  return null;
}
