import { formatArg, type ConsoleLevel, type PreviewMessage } from "./messages";

export interface ConsoleEntry {
  id: number;
  level: ConsoleLevel;
  text: string;
  time: number;
}

export interface NetworkEntry {
  id: number;
  method: string;
  url: string;
  status: number;
  ok: boolean;
  duration: number;
  error?: string;
  time: number;
}

export interface PreviewError {
  source: "dev-server" | "runtime" | "overlay";
  message: string;
  detail?: string;
  location?: string;
}

export interface PreviewState {
  console: ConsoleEntry[];
  network: NetworkEntry[];
  /** The dev server's compile error (from the project WebSocket). */
  compileError: PreviewError | null;
  /** Uncaught errors, rejections and dev-server overlays since the page last loaded. */
  runtimeErrors: PreviewError[];
  /** The error overlay was closed for the errors shown so far. */
  dismissed: boolean;
  /** The instrumented page answered since the iframe was (re)created. */
  ready: boolean;
  url: string;
  nextId: number;
}

export type PreviewAction =
  | { type: "message"; message: PreviewMessage }
  | { type: "server-error"; data: Record<string, unknown> }
  | { type: "server-cleared" }
  | { type: "frame-created" }
  | { type: "clear-console" }
  | { type: "clear-network" }
  | { type: "dismiss" };

export const MAX_ENTRIES = 500;

export const initialPreviewState: PreviewState = {
  console: [],
  network: [],
  compileError: null,
  runtimeErrors: [],
  dismissed: false,
  ready: false,
  url: "",
  nextId: 1,
};

const cap = <T>(items: T[]): T[] =>
  items.length > MAX_ENTRIES ? items.slice(items.length - MAX_ENTRIES) : items;

function log(state: PreviewState, level: ConsoleLevel, text: string, time: number): PreviewState {
  return {
    ...state,
    console: cap([...state.console, { id: state.nextId, level, text, time }]),
    nextId: state.nextId + 1,
  };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** The dev server's `error:detected` payload (`source: "dev-server"`) as an overlay error. */
export function serverError(data: Record<string, unknown>): PreviewError | null {
  if (data.source !== "dev-server") return null;
  const file = str(data.file);
  const line = typeof data.line === "number" ? data.line : undefined;
  const column = typeof data.column === "number" ? data.column : undefined;
  const location = file ? [file, line, column].filter((p) => p !== undefined).join(":") : undefined;
  return {
    source: "dev-server",
    message: str(data.message) ?? "Compile error",
    detail: str(data.detail),
    location,
  };
}

function message(state: PreviewState, m: PreviewMessage): PreviewState {
  switch (m.type) {
    case "ready":
      // A fresh page: errors of the previous one are gone with it.
      return { ...state, ready: true, url: m.url, runtimeErrors: [], dismissed: false };
    case "navigation":
      return { ...state, url: m.url };
    case "console":
      return log(state, m.level, m.args.map(formatArg).join(" "), m.time);
    case "error": {
      const location = m.filename ? `${m.filename}:${m.lineno}:${m.colno}` : undefined;
      const next = log(state, "error", `Uncaught ${m.message}`, m.time);
      const error: PreviewError = {
        source: "runtime",
        message: m.message,
        detail: m.stack || undefined,
        location,
      };
      return { ...next, runtimeErrors: cap([...state.runtimeErrors, error]), dismissed: false };
    }
    case "unhandledrejection": {
      const next = log(state, "error", `Unhandled rejection: ${m.message}`, m.time);
      const error: PreviewError = {
        source: "runtime",
        message: m.message,
        detail: m.stack || undefined,
      };
      return { ...next, runtimeErrors: cap([...state.runtimeErrors, error]), dismissed: false };
    }
    case "overlay": {
      const text = overlayText(m.text);
      // Next.js also shows runtime errors in its overlay: the error event already said it, with its stack.
      if (
        !text ||
        state.runtimeErrors.some((e) => e.source === "runtime" && text.includes(e.message))
      )
        return state;
      return {
        ...state,
        runtimeErrors: cap([...state.runtimeErrors, { source: "overlay", message: text }]),
        dismissed: false,
      };
    }
    case "resource-error":
      return log(state, "error", `Failed to load <${m.tag}> ${m.src}`, m.time);
    case "network": {
      const entry: NetworkEntry = {
        id: state.nextId,
        method: m.method,
        url: m.requestUrl,
        status: m.status,
        ok: m.ok,
        duration: m.duration,
        time: m.time,
        ...(m.error ? { error: m.error } : {}),
      };
      return { ...state, network: cap([...state.network, entry]), nextId: state.nextId + 1 };
    }
    case "pong":
      return { ...state, ready: true };
  }
}

export function previewReducer(state: PreviewState, action: PreviewAction): PreviewState {
  switch (action.type) {
    case "message":
      return message(state, action.message);
    case "server-error": {
      const error = serverError(action.data);
      return error ? { ...state, compileError: error, dismissed: false } : state;
    }
    case "server-cleared":
      return { ...state, compileError: null };
    case "frame-created":
      return { ...state, ready: false };
    case "clear-console":
      return { ...state, console: [] };
    case "clear-network":
      return { ...state, network: [] };
    case "dismiss":
      return { ...state, dismissed: true };
  }
}

/**
 * The readable part of a dev overlay's text: the injected script reads the overlay's whole
 * shadow root, whose <style> rules come first.
 */
export function overlayText(raw: string): string {
  let text = raw.replace(/\/\*[\s\S]*?\*\//g, " ");
  // Rules, then the blocks that held nested rules (@media, @keyframes).
  for (let i = 0; i < 3; i++) text = text.replace(/[^{};]*\{[^{}]*\}/g, " ");
  return text.replace(/\s+/g, " ").trim();
}

/** The error the overlay shows: a compile error first, else the latest runtime error. */
export function visibleError(state: PreviewState): PreviewError | null {
  if (state.dismissed) return null;
  return state.compileError ?? state.runtimeErrors.at(-1) ?? null;
}

/** The prompt "Fix with AI" sends. */
export function fixPrompt(error: PreviewError): string {
  const where = error.location ? ` in ${error.location}` : "";
  const kind = error.source === "runtime" ? "runtime error" : "compile error";
  const detail = error.detail ? `\n\n\`\`\`\n${error.detail.slice(0, 4000)}\n\`\`\`` : "";
  return `The preview shows a ${kind}${where}:\n\n${error.message.slice(0, 2000)}${detail}\n\nPlease find the cause and fix it.`;
}
