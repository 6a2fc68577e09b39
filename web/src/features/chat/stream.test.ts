import { initialTurn, turnReducer, turnText, type StreamEvent, type TurnState } from "./stream";

const run = (events: StreamEvent[], state: TurnState = initialTurn) =>
  events.reduce(turnReducer, state);

describe("turnReducer", () => {
  it("builds a turn: text, a streamed file, a diff, usage and the commit", () => {
    const state = run([
      {
        event: "message",
        data: { thread_id: "t", user_message_id: "u1", assistant_message_id: "a1", model: "m" },
      },
      { event: "iteration", data: { iteration: 1, max_iterations: 10, fix_attempt: 0 } },
      { event: "text", data: { iteration: 1, text: "I'll add " } },
      { event: "text", data: { iteration: 1, text: "it." } },
      {
        event: "tool_call_started",
        data: { iteration: 1, id: "c1", name: "create_file", path: "src/A.tsx" },
      },
      { event: "tool_call_progress", data: { iteration: 1, id: "c1", delta: "export " } },
      { event: "tool_call_progress", data: { iteration: 1, id: "c1", delta: "{};" } },
      {
        event: "tool_call_finished",
        data: {
          iteration: 1,
          id: "c1",
          name: "create_file",
          ok: true,
          summary: "Created",
          path: "src/A.tsx",
          diff: "+a\n+b",
        },
      },
      { event: "usage", data: { input_tokens: 100, output_tokens: 20, cost_usd: 0.001 } },
      { event: "usage", data: { input_tokens: 50, output_tokens: 10, cost_usd: 0.002 } },
      {
        event: "done",
        data: {
          status: "complete",
          assistant_message_id: "a1",
          commit: { hash: "abc", message: "Add A", files: ["src/A.tsx"] },
          suggestions: ["Next"],
          changed_files: ["src/A.tsx"],
        },
      },
    ]);
    expect(state.assistantMessageId).toBe("a1");
    expect(turnText(state)).toBe("I'll add it.");
    expect(state.items).toHaveLength(2);
    const tool = state.items[1];
    expect(tool?.kind === "tool" && tool.call).toMatchObject({
      state: "ok",
      streamed: "export {};",
      diff: "+a\n+b",
      path: "src/A.tsx",
    });
    expect(state.usage).toEqual({ inputTokens: 150, outputTokens: 30, costUsd: 0.003 });
    expect(state.commit).toEqual({ hash: "abc", message: "Add A", files: ["src/A.tsx"] });
    expect(state.suggestions).toEqual(["Next"]);
    expect(state.status).toBe("done");
  });

  it("remembers the version a regenerate put the code back to", () => {
    const fresh = run([
      {
        event: "message",
        data: { thread_id: "t", assistant_message_id: "a1", restored_version: null },
      },
    ]);
    expect(fresh.restoredVersion).toBeNull();
    const again = run([
      {
        event: "message",
        data: { thread_id: "t", assistant_message_id: "a2", restored_version: "0123456789abcdef" },
      },
    ]);
    expect(again.restoredVersion).toBe("0123456789abcdef");
  });

  it("a reset drops the iteration's text and unfinished calls, keeping earlier iterations and finished calls", () => {
    const state = run([
      { event: "text", data: { iteration: 1, text: "first" } },
      { event: "tool_call_started", data: { iteration: 1, id: "c1", name: "create_file" } },
      {
        event: "tool_call_finished",
        data: { iteration: 1, id: "c1", name: "create_file", ok: true, summary: "" },
      },
      { event: "text", data: { iteration: 2, text: "half" } },
      { event: "tool_call_started", data: { iteration: 2, id: "c2", name: "create_file" } },
      { event: "reset", data: { iteration: 2, reason: "retry" } },
      { event: "text", data: { iteration: 2, text: "again" } },
    ]);
    expect(state.items.map((i) => (i.kind === "text" ? i.text : i.call.id))).toEqual([
      "first",
      "c1",
      "again",
    ]);
  });

  it("keeps errors (no model, limits) and marks unfinished calls failed at the end", () => {
    const state = run([
      {
        event: "tool_call_started",
        data: { iteration: 1, id: "c1", name: "update_file_sections", path: "a" },
      },
      { event: "error", data: { code: "rate_limited", message: "Slow down", retry_after: 30 } },
      { event: "done", data: { status: "cancelled", commit: null } },
    ]);
    expect(state.error).toEqual({ code: "rate_limited", message: "Slow down", retryAfter: 30 });
    expect(state.finalStatus).toBe("cancelled");
    expect(state.commit).toBeNull();
    const tool = state.items[0];
    expect(tool?.kind === "tool" && tool.call.state).toBe("failed");
  });

  it("check_for_errors results carry the errors found; a finished call never started is added", () => {
    const state = run([
      {
        event: "tool_call_finished",
        data: {
          iteration: 1,
          id: "auto-check-1",
          name: "check_for_errors",
          ok: true,
          summary: "1 error",
          errors: ["a.ts:1 bad"],
          automatic: true,
        },
      },
    ]);
    const tool = state.items[0];
    expect(tool?.kind === "tool" && tool.call).toMatchObject({
      errors: ["a.ts:1 bad"],
      automatic: true,
      state: "ok",
    });
  });

  it("ignores unknown events and malformed data", () => {
    expect(
      run([
        { event: "mystery", data: {} },
        { event: "tool_call_progress", data: "x" },
      ]),
    ).toEqual(initialTurn);
  });
});
