import { useEffect } from "react";
import { useLatest } from "@/lib/hooks";
import type { Attachment } from "./api";

/**
 * Lets other panels hand prompts to the chat ("Fix with AI"): sent at once, or put in the
 * composer while a reply is being written.
 */
export function useChatSender(
  register: (sender: ((prompt: string) => void) | null) => void,
  turns: {
    send: (content: string, attachments: Attachment[]) => Promise<void>;
    streaming: boolean;
    setDraft: (draft: string) => void;
  },
) {
  const latest = useLatest(turns);
  useEffect(() => {
    register((prompt) => {
      const { streaming, setDraft, send } = latest.current;
      if (streaming) setDraft(prompt);
      else void send(prompt, []);
    });
    return () => register(null);
  }, [register, latest]);
}
