/**
 * Screenshots of the preview: the workspace sends `{type: "screenshot", id}` and the
 * page (preview.js) draws itself and answers `{type: "screenshot", id, ok, dataUrl, …}`.
 * A reply counts only with our id, from the preview origin and from our iframe's window.
 */
import { sendPreviewCommand } from "./messages";

export interface Screenshot {
  dataUrl: string;
  width: number;
  height: number;
}

export type ScreenshotReply = ({ ok: true } & Screenshot) | { ok: false; error: string };

const PNG_PREFIX = "data:image/png;base64,";

/** The reply to request `id` carried by `event`, or null if the event is anything else. */
export function parseScreenshotReply(
  event: Pick<MessageEvent, "origin" | "source" | "data">,
  expectedOrigin: string | null,
  frame: MessageEventSource | null | undefined,
  id: string,
): ScreenshotReply | null {
  if (!expectedOrigin || event.origin !== expectedOrigin) return null;
  if (!frame || event.source !== frame) return null;
  const data: unknown = event.data;
  if (typeof data !== "object" || data === null) return null;
  const reply = data as Record<string, unknown>;
  if (reply.source !== "appwright-preview" || reply.type !== "screenshot" || reply.id !== id)
    return null;
  if (
    reply.ok === true &&
    typeof reply.dataUrl === "string" &&
    reply.dataUrl.startsWith(PNG_PREFIX)
  ) {
    const width = typeof reply.width === "number" ? reply.width : 0;
    const height = typeof reply.height === "number" ? reply.height : 0;
    return { ok: true, dataUrl: reply.dataUrl, width, height };
  }
  return {
    ok: false,
    error:
      typeof reply.error === "string" && reply.error
        ? reply.error
        : "The preview could not take a screenshot",
  };
}

type MessageTarget = Pick<Window, "addEventListener" | "removeEventListener">;

let counter = 0;
function freshId(): string {
  counter += 1;
  const random =
    typeof crypto !== "undefined" && "randomUUID" in crypto
      ? crypto.randomUUID()
      : Math.random().toString(36).slice(2);
  return `shot-${counter}-${random}`;
}

/**
 * Asks the preview frame for a screenshot and waits for its reply (rejects on an error
 * reply, on timeout, or when there is no frame to ask).
 */
export function requestScreenshot(
  frame: Window | null | undefined,
  origin: string | null,
  {
    timeoutMs = 15_000,
    listenOn = window as MessageTarget,
  }: { timeoutMs?: number; listenOn?: MessageTarget } = {},
): Promise<Screenshot> {
  return new Promise((resolve, reject) => {
    if (!frame || !origin) {
      reject(new Error("The preview is not loaded"));
      return;
    }
    const id = freshId();
    const done = () => {
      clearTimeout(timer);
      listenOn.removeEventListener("message", onMessage);
    };
    const onMessage = (event: MessageEvent) => {
      const reply = parseScreenshotReply(event, origin, frame, id);
      if (!reply) return;
      done();
      if (reply.ok) resolve({ dataUrl: reply.dataUrl, width: reply.width, height: reply.height });
      else reject(new Error(reply.error));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error("The preview did not answer (is the page loaded?)"));
    }, timeoutMs);
    listenOn.addEventListener("message", onMessage);
    sendPreviewCommand(frame, origin, { type: "screenshot", id });
  });
}

/** `preview-2024-05-01-12-30-05.png` */
export function screenshotFileName(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  return `preview-${date}-${time}.png`;
}
