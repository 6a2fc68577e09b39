import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "@/api/errors";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { useLatest } from "@/lib/hooks";
import { streamSSE } from "@/features/workspace/sse";
import type { Attachment } from "./api";
import { useCancelMessage } from "./api";
import { FILE_WRITING_TOOLS, initialTurn, turnReducer, type TurnState } from "./stream";

export interface LiveTurn {
  state: TurnState;
  /** The prompt as sent, shown until the saved messages arrive (null for a regenerate). */
  prompt: string | null;
  attachments: Attachment[];
  /** The user message an edit replaces (its branch is left for a new one). */
  replaces: string | null;
}

export type StreamRequest =
  | {
      kind: "send";
      threadId: string;
      content: string;
      attachments: Attachment[];
      parentId: string | null;
      model: string | null;
    }
  | { kind: "regenerate"; messageId: string; model: string | null }
  | { kind: "edit"; messageId: string; content: string; model: string | null };

function endpoint(request: StreamRequest): { url: string; body: Record<string, unknown> } {
  const model = request.model ? { model: request.model } : {};
  switch (request.kind) {
    case "send":
      return {
        url: "/api/messages/stream",
        body: {
          thread_id: request.threadId,
          content: request.content,
          attachments: request.attachments,
          ...(request.parentId ? { parent_id: request.parentId } : {}),
          ...model,
        },
      };
    case "regenerate":
      return {
        url: `/api/messages/${encodeURIComponent(request.messageId)}/regenerate`,
        body: model,
      };
    case "edit":
      return {
        url: `/api/messages/${encodeURIComponent(request.messageId)}/edit`,
        body: { content: request.content, ...model },
      };
  }
}

/**
 * Runs one chat turn over SSE: the live reply (text, tool cards, progress), the bus
 * events the editor follows (`ai:file-streaming`, `ai:file-done`, `ai:turn-done`), and
 * cancellation. `onFinished(turn)` runs once the turn is over and saved.
 */
export function useChatStream(bus: WorkspaceBus, onFinished: (turn: TurnState) => void) {
  const queryClient = useQueryClient();
  const cancel = useCancelMessage();
  const [live, setLive] = useState<LiveTurn | null>(null);
  const [streaming, setStreaming] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const stateRef = useRef<TurnState>(initialTurn);
  const finishedRef = useLatest(onFinished);

  useEffect(() => () => abortRef.current?.abort(), []);

  const start = useCallback(
    async (request: StreamRequest) => {
      if (abortRef.current) return;
      const controller = new AbortController();
      abortRef.current = controller;
      const prompt = request.kind === "regenerate" ? null : request.content;
      const attachments = request.kind === "send" ? request.attachments : [];
      stateRef.current = initialTurn;
      const replaces = request.kind === "edit" ? request.messageId : null;
      setLive({ state: initialTurn, prompt, attachments, replaces });
      setStreaming(true);
      const streamed = new Map<string, string>();
      const update = (state: TurnState) => {
        stateRef.current = state;
        setLive((current) => (current ? { ...current, state } : current));
      };
      const { url, body } = endpoint(request);
      try {
        await streamSSE(url, body, {
          signal: controller.signal,
          onEvent: (event, data) => {
            const before = stateRef.current;
            const after = turnReducer(before, { event, data });
            update(after);
            publish(event, after, streamed, bus);
          },
        });
        if (stateRef.current.finalStatus === null) {
          // The connection ended without `done`: the reply may still have been saved.
          update({
            ...stateRef.current,
            status: "error",
            error: stateRef.current.error ?? {
              code: "disconnected",
              message: "The connection to the server was lost.",
            },
          });
        }
      } catch (error) {
        const message = controller.signal.aborted ? "Stopped." : errorMessage(error);
        update({ ...stateRef.current, status: "error", error: { code: "request", message } });
      } finally {
        abortRef.current = null;
        setStreaming(false);
        await queryClient.invalidateQueries({ queryKey: ["chat"] });
        finishedRef.current(stateRef.current);
        // The saved messages replace the live copy; an error stays on screen until dismissed.
        setLive((current) => (current && stateRef.current.error === null ? null : current));
      }
    },
    [bus, queryClient, finishedRef],
  );

  const stop = useCallback(() => {
    const id = stateRef.current.assistantMessageId;
    if (id) cancel.mutate(id);
    else abortRef.current?.abort();
  }, [cancel]);

  const dismiss = useCallback(() => setLive(null), []);

  return { live, streaming, start, stop, dismiss, stopping: cancel.isPending };
}

/** Editor-facing bus events for one stream event. */
function publish(
  event: string,
  state: TurnState,
  streamed: Map<string, string>,
  bus: WorkspaceBus,
) {
  if (event === "tool_call_progress" || event === "tool_call_finished") {
    for (const item of state.items) {
      if (item.kind !== "tool") continue;
      const call = item.call;
      const path = call.path;
      if (!path) continue;
      if (
        event === "tool_call_progress" &&
        call.state === "running" &&
        FILE_WRITING_TOOLS.has(call.name)
      ) {
        if (streamed.get(call.id) !== call.streamed) {
          streamed.set(call.id, call.streamed);
          bus.publish({ type: "ai:file-streaming", path, content: call.streamed });
        }
      } else if (
        event === "tool_call_finished" &&
        call.state !== "running" &&
        !streamed.has(`done:${call.id}`)
      ) {
        streamed.set(`done:${call.id}`, "");
        if (call.name !== "check_for_errors" && call.name !== "send_terminal_command") {
          bus.publish({ type: "ai:file-done", path, ok: call.state === "ok" });
        }
      }
    }
  } else if (event === "done") {
    bus.publish({ type: "ai:turn-done", commit: state.commit?.hash ?? null });
  }
}
