import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { useWorkspace } from "@/features/workspace/context";
import { useLatest } from "@/lib/hooks";
import { usePreviewLink, type PreviewLink } from "./api";
import { parsePreviewMessage, sendPreviewCommand } from "./messages";
import { initialPreviewState, previewReducer } from "./state";

/**
 * The preview iframe: its one-time link (a new frame each time), what the page reports
 * (console, network, runtime errors: also shared with the server) and the server's compile
 * errors and refresh requests.
 */
export function usePreviewFrame(projectId: string) {
  const { bus, sendToServer } = useWorkspace();
  const linkMutation = usePreviewLink(projectId);
  const { mutateAsync: newLink } = linkMutation;
  const [link, setLink] = useState<PreviewLink | null>(null);
  const [frameKey, setFrameKey] = useState(0);
  const [state, dispatch] = useReducer(previewReducer, initialPreviewState);
  const frameRef = useRef<HTMLIFrameElement>(null);
  const ready = useLatest(state.ready);

  /** A new iframe with a fresh one-time link (the link sets the preview origin's cookie). */
  const recreate = useCallback(async () => {
    try {
      const fresh = await newLink();
      setLink(fresh);
      setFrameKey((k) => k + 1);
      dispatch({ type: "frame-created" });
    } catch {
      // linkMutation.error is shown in the panel.
    }
  }, [newLink]);

  useEffect(() => {
    void recreate();
  }, [recreate]);

  const reload = useCallback(() => {
    const target = frameRef.current?.contentWindow;
    // The instrumented page reloads itself; a page that never answered (a gateway error
    // page, a link that expired) needs a new frame.
    if (ready.current && link && sendPreviewCommand(target, link.origin, { type: "reload" }))
      return;
    void recreate();
  }, [ready, link, recreate]);

  // Reports from the preview page.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const message = parsePreviewMessage(
        event,
        link?.origin ?? null,
        frameRef.current?.contentWindow,
      );
      if (!message) return;
      dispatch({ type: "message", message });
      if (message.type === "error" || message.type === "unhandledrejection") {
        const { type, ...data } = message;
        sendToServer("error:runtime", { kind: type, ...data });
      }
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [link, sendToServer]);

  // Server events: compile errors and refresh requests.
  useEffect(
    () =>
      bus.subscribe((event) => {
        if (event.type !== "server") return;
        if (event.event === "error:detected") dispatch({ type: "server-error", data: event.data });
        else if (event.event === "error:cleared") dispatch({ type: "server-cleared" });
        else if (event.event === "preview:refresh") reload();
      }),
    [bus, reload],
  );

  /** Opens the preview in a new tab, on a link of its own. */
  const openInNewTab = async () => {
    // Open the tab inside the click (popup blockers), then point it at a fresh link.
    const tab = window.open("about:blank", "_blank");
    try {
      const fresh = await newLink();
      if (tab) {
        tab.opener = null;
        tab.location.href = fresh.url;
      }
    } catch {
      tab?.close();
    }
  };

  return {
    link,
    linkError: linkMutation.error,
    frameKey,
    frameRef,
    state,
    dispatch,
    recreate,
    reload,
    openInNewTab,
  };
}

export type PreviewFrameControl = ReturnType<typeof usePreviewFrame>;
