import { useCallback, useEffect, useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { useLatest } from "@/lib/hooks";
import type { ChatMessage } from "./api";
import { locateMessage } from "./locate";
import type { ThreadView } from "./useThread";

/**
 * Shows the message another panel points at (`chat:show-message`, a version's link) wherever
 * it is, another thread or branch; `chat:continue-from` also ends the branch at it, so the
 * next message forks from there. `flash` is the message to scroll to and highlight.
 */
export function useShowMessage(
  bus: WorkspaceBus,
  chat: ThreadView,
  shown: { messages: ChatMessage[]; streaming: boolean; onThreadShown: () => void },
) {
  const [flash, setFlash] = useState<string | null>(null);

  const show = async (id: string, continueFrom: boolean) => {
    if (!continueFrom && shown.messages.some((m) => m.id === id)) {
      setFlash(id);
      return;
    }
    if (shown.streaming) {
      toast.info("A reply is being written: the chat stays on it until it is done.");
      return;
    }
    const threadIds = chat.threads.data?.map((t) => t.id) ?? [];
    const { threadId } = chat;
    const order = threadId ? [threadId, ...threadIds.filter((t) => t !== threadId)] : threadIds;
    try {
      const found = await locateMessage(chat.fetchBranch, order, id);
      if (!found) {
        toast.info("That chat message no longer exists.");
        return;
      }
      chat.open(found.threadId, continueFrom ? id : found.leafId);
      shown.onThreadShown();
      setFlash(id);
    } catch (error) {
      toast.error(`Could not show the message: ${errorMessage(error)}`);
    }
  };

  const latestShow = useLatest(show);
  useEffect(
    () =>
      bus.subscribe((event) => {
        if (event.type === "chat:show-message") void latestShow.current(event.messageId, false);
        if (event.type === "chat:continue-from") void latestShow.current(event.messageId, true);
      }),
    [bus, latestShow],
  );

  return { flash, endFlash: useCallback(() => setFlash(null), []) };
}
