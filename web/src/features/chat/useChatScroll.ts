import { useEffect, type RefObject } from "react";
import type { LiveTurn } from "./useChatStream";

/** How much of the live reply has arrived (grows with each streamed piece). */
function liveSize(live: LiveTurn | null): number {
  if (!live) return 0;
  return live.state.items.reduce(
    (n, item) => n + (item.kind === "text" ? item.text.length : item.call.streamed.length + 1),
    0,
  );
}

/**
 * Keeps the conversation scrolled to its end as it grows; then scrolls to the message
 * shown from elsewhere (`flash`) once its branch is loaded, and ends the highlight after 2 s.
 */
export function useChatScroll(
  scroller: RefObject<HTMLDivElement>,
  view: {
    messages: readonly { id: string }[];
    live: LiveTurn | null;
    flash: string | null;
    loading: boolean;
    onFlashEnd: () => void;
  },
) {
  const { messages, flash, loading, onFlashEnd } = view;
  const size = liveSize(view.live);

  // Follow the conversation as it grows.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [scroller, messages.length, size]);

  // After following the conversation above.
  useEffect(() => {
    if (!flash || loading) return;
    const el = scroller.current?.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(flash)}"]`,
    );
    if (!el) return;
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    const timer = setTimeout(onFlashEnd, 2000);
    return () => clearTimeout(timer);
  }, [scroller, flash, loading, messages, onFlashEnd]);
}
