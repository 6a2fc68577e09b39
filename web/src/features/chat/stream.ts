/**
 * The live state of one streaming reply, built from the chat SSE events
 * (docs/chat-api.md). Pure: `turnReducer(state, {event, data})`.
 */

export interface ToolCall {
  id: string;
  name: string;
  iteration: number;
  path?: string;
  automatic?: boolean;
  /** running while the call streams/executes; then ok or failed. */
  state: "running" | "ok" | "failed";
  /** File content as the model generates it. */
  streamed: string;
  summary?: string;
  diff?: string;
  output?: string;
  error?: string;
  errors?: string[];
}

export type TurnItem =
  { kind: "text"; iteration: number; text: string } | { kind: "tool"; call: ToolCall };

export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface TurnCommit {
  hash: string;
  message: string;
  files: string[];
}

export interface TurnState {
  threadId: string | null;
  userMessageId: string | null;
  assistantMessageId: string | null;
  model: string | null;
  items: TurnItem[];
  iteration: number;
  maxIterations: number;
  fixAttempt: number;
  usage: TurnUsage;
  status: "streaming" | "done" | "error";
  /** The final status from `done` (complete, stopped, cancelled, error). */
  finalStatus: string | null;
  stopReason: string | null;
  error: { code: string; message: string; retryAfter?: number } | null;
  suggestions: string[];
  commit: TurnCommit | null;
  changedFiles: string[];
  /** Regenerate/edit: the version the code was put back to before this attempt. */
  restoredVersion: string | null;
}

export const initialTurn: TurnState = {
  threadId: null,
  userMessageId: null,
  assistantMessageId: null,
  model: null,
  items: [],
  iteration: 0,
  maxIterations: 0,
  fixAttempt: 0,
  usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  status: "streaming",
  finalStatus: null,
  stopReason: null,
  error: null,
  suggestions: [],
  commit: null,
  changedFiles: [],
  restoredVersion: null,
};

export interface StreamEvent {
  event: string;
  data: unknown;
}

type Data = Record<string, unknown>;

const asData = (value: unknown): Data =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Data) : {};
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: unknown, fallback = 0): number =>
  typeof value === "number" && Number.isFinite(value) ? value : fallback;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** A finished tool call as the API stores it in `MessageRead.tool_calls` (same shape as the event). */
export function toolCallFromRecord(raw: unknown): ToolCall | null {
  const d = asData(raw);
  const id = str(d.id);
  const name = str(d.name);
  if (!id || !name) return null;
  return {
    id,
    name,
    iteration: num(d.iteration),
    path: str(d.path),
    automatic: d.automatic === true,
    state: d.ok === false ? "failed" : "ok",
    streamed: "",
    summary: str(d.summary),
    diff: str(d.diff),
    output: str(d.output),
    error: str(d.error),
    errors: Array.isArray(d.errors) ? strings(d.errors) : undefined,
  };
}

function updateCall(
  items: TurnItem[],
  id: string,
  update: (call: ToolCall) => ToolCall,
): TurnItem[] {
  return items.map((item) =>
    item.kind === "tool" && item.call.id === id ? { kind: "tool", call: update(item.call) } : item,
  );
}

export function turnReducer(state: TurnState, { event, data: raw }: StreamEvent): TurnState {
  const data = asData(raw);
  switch (event) {
    case "message":
      return {
        ...state,
        threadId: str(data.thread_id) ?? state.threadId,
        userMessageId: str(data.user_message_id) ?? null,
        assistantMessageId: str(data.assistant_message_id) ?? null,
        model: str(data.model) ?? null,
        restoredVersion: str(data.restored_version) ?? null,
      };
    case "iteration":
      return {
        ...state,
        iteration: num(data.iteration, state.iteration),
        maxIterations: num(data.max_iterations, state.maxIterations),
        fixAttempt: num(data.fix_attempt),
      };
    case "text": {
      const text = str(data.text) ?? "";
      const iteration = num(data.iteration, state.iteration);
      const last = state.items.at(-1);
      if (last?.kind === "text" && last.iteration === iteration) {
        return {
          ...state,
          items: [...state.items.slice(0, -1), { ...last, text: last.text + text }],
        };
      }
      return { ...state, items: [...state.items, { kind: "text", iteration, text }] };
    }
    case "reset": {
      const iteration = num(data.iteration, state.iteration);
      return {
        ...state,
        items: state.items.filter((item) =>
          item.kind === "text"
            ? item.iteration !== iteration
            : item.call.iteration !== iteration || item.call.state !== "running",
        ),
      };
    }
    case "tool_call_started": {
      const id = str(data.id);
      if (!id) return state;
      const call: ToolCall = {
        id,
        name: str(data.name) ?? "tool",
        iteration: num(data.iteration, state.iteration),
        path: str(data.path),
        automatic: data.automatic === true,
        state: "running",
        streamed: "",
      };
      return { ...state, items: [...state.items, { kind: "tool", call }] };
    }
    case "tool_call_progress": {
      const id = str(data.id);
      if (!id) return state;
      const delta = str(data.delta) ?? "";
      return {
        ...state,
        items: updateCall(state.items, id, (call) => ({
          ...call,
          streamed: call.streamed + delta,
          path: call.path ?? str(data.path),
        })),
      };
    }
    case "tool_call_finished": {
      const finished = toolCallFromRecord(data);
      if (!finished) return state;
      const known = state.items.some(
        (item) => item.kind === "tool" && item.call.id === finished.id,
      );
      if (!known) return { ...state, items: [...state.items, { kind: "tool", call: finished }] };
      return {
        ...state,
        items: updateCall(state.items, finished.id, (call) => ({
          ...finished,
          streamed: call.streamed,
        })),
      };
    }
    case "usage":
      return {
        ...state,
        usage: {
          inputTokens: state.usage.inputTokens + num(data.input_tokens),
          outputTokens: state.usage.outputTokens + num(data.output_tokens),
          costUsd: state.usage.costUsd + num(data.cost_usd),
        },
      };
    case "error":
      return {
        ...state,
        error: {
          code: str(data.code) ?? "internal",
          message: str(data.message) ?? "Something went wrong.",
          ...(typeof data.retry_after === "number" ? { retryAfter: data.retry_after } : {}),
        },
      };
    case "done": {
      const commit = asData(data.commit);
      const hash = str(commit.hash);
      const finalStatus = str(data.status) ?? "complete";
      return {
        ...state,
        status: finalStatus === "error" ? "error" : "done",
        finalStatus,
        assistantMessageId: str(data.assistant_message_id) ?? state.assistantMessageId,
        stopReason: str(data.stop_reason) ?? null,
        suggestions: strings(data.suggestions),
        changedFiles: strings(data.changed_files),
        commit: hash
          ? { hash, message: str(commit.message) ?? "", files: strings(commit.files) }
          : null,
        // Calls still "running" at the end never finished (cancelled or failed turn).
        items: state.items.map((item) =>
          item.kind === "tool" && item.call.state === "running"
            ? { kind: "tool", call: { ...item.call, state: "failed" } }
            : item,
        ),
      };
    }
    default:
      return state;
  }
}

/** The reply's text so far (all iterations). */
export function turnText(state: TurnState): string {
  return state.items
    .filter((item): item is Extract<TurnItem, { kind: "text" }> => item.kind === "text")
    .map((item) => item.text)
    .join("\n\n");
}

/** Tools that write a file's content (their progress deltas are the file). */
export const FILE_WRITING_TOOLS = new Set(["create_file", "full_file_rewrite"]);
