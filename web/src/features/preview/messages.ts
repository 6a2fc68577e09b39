/**
 * The preview iframe's reports (sent by the gateway-injected `preview.js`) and the
 * commands the workspace sends back. The preview runs the user's app on another origin:
 * a message counts only when it comes from that origin AND from our iframe's window.
 */

export type ConsoleLevel = "log" | "info" | "warn" | "error" | "debug";

interface Base {
  source: "appwright-preview";
  url: string;
  time: number;
}

export type PreviewMessage = Base &
  (
    | { type: "ready"; title: string }
    | { type: "console"; level: ConsoleLevel; args: unknown[] }
    | {
        type: "error";
        message: string;
        filename: string;
        lineno: number;
        colno: number;
        stack: string;
      }
    | { type: "unhandledrejection"; message: string; stack: string }
    | { type: "overlay"; kind: "vite" | "nextjs"; text: string }
    | { type: "resource-error"; tag: string; src: string }
    | {
        type: "network";
        kind: "fetch" | "xhr";
        method: string;
        requestUrl: string;
        status: number;
        ok: boolean;
        duration: number;
        error?: string;
      }
    | { type: "navigation"; how: string; title: string }
    | { type: "pong" }
  );

export type PreviewCommand =
  | { type: "reload" | "back" | "forward" | "ping" }
  | { type: "navigate"; path: string }
  | { type: "screenshot"; id: string };

const LEVELS = new Set<string>(["log", "info", "warn", "error", "debug"]);

function record(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const str = (value: unknown, fallback = ""): string =>
  typeof value === "string" ? value : fallback;
const num = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;

/**
 * Validates a `message` event from the preview. `expectedOrigin` is the preview link's
 * `origin`; `frame` our iframe's `contentWindow`. Anything else (another window, another
 * origin, a malformed payload) is null.
 */
export function parsePreviewMessage(
  event: Pick<MessageEvent, "origin" | "source" | "data">,
  expectedOrigin: string | null,
  frame: MessageEventSource | null | undefined,
): PreviewMessage | null {
  if (!expectedOrigin || event.origin !== expectedOrigin) return null;
  if (!frame || event.source !== frame) return null;
  const data: unknown = event.data;
  if (!record(data) || data.source !== "appwright-preview" || typeof data.type !== "string")
    return null;
  const base: Base = {
    source: "appwright-preview",
    url: str(data.url),
    time: num(data.time) || Date.now(),
  };
  switch (data.type) {
    case "ready":
      return { ...base, type: "ready", title: str(data.title) };
    case "console": {
      const level = str(data.level, "log");
      return {
        ...base,
        type: "console",
        level: (LEVELS.has(level) ? level : "log") as ConsoleLevel,
        args: Array.isArray(data.args) ? (data.args as unknown[]) : [],
      };
    }
    case "error":
      return {
        ...base,
        type: "error",
        message: str(data.message, "Unknown error"),
        filename: str(data.filename),
        lineno: num(data.lineno),
        colno: num(data.colno),
        stack: str(data.stack),
      };
    case "unhandledrejection":
    case "rejection":
      return {
        ...base,
        type: "unhandledrejection",
        message: str(data.message, "Unhandled rejection"),
        stack: str(data.stack),
      };
    case "overlay":
      return {
        ...base,
        type: "overlay",
        kind: data.kind === "vite" ? "vite" : "nextjs",
        text: str(data.text),
      };
    case "resource-error":
      return { ...base, type: "resource-error", tag: str(data.tag), src: str(data.src) };
    case "network":
      return {
        ...base,
        type: "network",
        kind: data.kind === "xhr" ? "xhr" : "fetch",
        method: str(data.method, "GET"),
        requestUrl: str(data.requestUrl),
        status: num(data.status),
        ok: data.ok === true,
        duration: num(data.duration),
        ...(typeof data.error === "string" ? { error: data.error } : {}),
      };
    case "navigation":
      return { ...base, type: "navigation", how: str(data.how), title: str(data.title) };
    case "pong":
      return { ...base, type: "pong" };
    default:
      return null;
  }
}

/** Posts a command to the preview, addressed to its origin only. */
export function sendPreviewCommand(
  frame: Window | null | undefined,
  origin: string | null,
  command: PreviewCommand,
): boolean {
  if (!frame || !origin) return false;
  frame.postMessage({ source: "appwright-workspace", ...command }, origin);
  return true;
}

/** Formats one serialised console argument (see preview.js `serialise`). */
export function formatArg(value: unknown): string {
  if (typeof value === "string") return value;
  if (record(value) && value.__type === "Error") {
    return `${str(value.name, "Error")}: ${str(value.message)}`;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
