import { ApiError } from "@/api/errors";
import { SSEParser, streamSSE } from "./sse";

describe("SSEParser", () => {
  it("assembles events split across arbitrary chunks", () => {
    const parser = new SSEParser();
    const text =
      'event: text\ndata: {"text":"Hel"}\n\nevent: text\ndata: {"text":"lo"}\n\nevent: done\ndata: {}\n\n';
    const events = [];
    for (let i = 0; i < text.length; i += 3) events.push(...parser.feed(text.slice(i, i + 3)));
    events.push(...parser.end());
    expect(events).toEqual([
      { event: "text", data: '{"text":"Hel"}' },
      { event: "text", data: '{"text":"lo"}' },
      { event: "done", data: "{}" },
    ]);
  });

  it("handles CRLF split between chunks, multi-line data, comments and the default event name", () => {
    const parser = new SSEParser();
    const out = [
      ...parser.feed(": keep-alive\r"),
      ...parser.feed("\ndata: one\r\ndata: two\r"),
      ...parser.feed("\n\r\nid: 7\nretry: 10\nevent:x\ndata\n\n"),
    ];
    expect(out).toEqual([
      { event: "message", data: "one\ntwo" },
      { event: "x", data: "" },
    ]);
  });

  it("dispatches an unterminated last event at the end of the stream only", () => {
    const parser = new SSEParser();
    expect(parser.feed('event: exit\ndata: {"exit_code":0}')).toEqual([]);
    expect(parser.end()).toEqual([{ event: "exit", data: '{"exit_code":0}' }]);
  });

  it("ignores a blank line with no data (no empty event)", () => {
    const parser = new SSEParser();
    expect(parser.feed("event: ping\n\n")).toEqual([]);
  });
});

function streamResponse(chunks: string[], status = 200): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status, headers: { "Content-Type": "text/event-stream" } });
}

describe("streamSSE", () => {
  it("posts JSON with the CSRF header and parses JSON data", async () => {
    document.cookie = "appwright_csrf=tok123";
    const fetcher = vi
      .fn<typeof fetch>()
      .mockResolvedValue(
        streamResponse([
          'event: stdout\ndata: {"data":"hi"}\n\nevent: exit\nda',
          'ta: {"exit_code":3}\n\n',
        ]),
      );
    const events: [string, unknown][] = [];
    await streamSSE(
      "/api/x",
      { command: "ls" },
      { fetch: fetcher, onEvent: (e, d) => events.push([e, d]) },
    );
    expect(events).toEqual([
      ["stdout", { data: "hi" }],
      ["exit", { exit_code: 3 }],
    ]);
    const [url, init] = fetcher.mock.calls[0] ?? [];
    expect(url).toBe("/api/x");
    expect(new Headers(init?.headers).get("X-CSRF-Token")).toBe("tok123");
    expect(init?.body).toBe('{"command":"ls"}');
  });

  it("throws an ApiError with the server's detail when the stream cannot start", async () => {
    const fetcher = vi
      .fn<typeof fetch>()
      .mockResolvedValue(
        new Response(
          JSON.stringify({ error: "Conflict", detail: "A reply is still being written" }),
          { status: 409 },
        ),
      );
    const promise = streamSSE(
      "/api/messages/stream",
      {},
      { fetch: fetcher, onEvent: () => undefined },
    );
    await expect(promise).rejects.toBeInstanceOf(ApiError);
    await expect(promise).rejects.toMatchObject({
      status: 409,
      detail: "A reply is still being written",
    });
  });

  it("refreshes the session once on 401 and retries", async () => {
    const fetcher = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(new Response("{}", { status: 401 }))
      .mockResolvedValueOnce(new Response("{}", { status: 200 }))
      .mockResolvedValueOnce(streamResponse(["data: 1\n\n"]));
    const events: unknown[] = [];
    await streamSSE("/api/s", {}, { fetch: fetcher, onEvent: (_e, d) => events.push(d) });
    expect(fetcher.mock.calls.map((c) => (typeof c[0] === "string" ? c[0] : "?"))).toEqual([
      "/api/s",
      "/api/auth/refresh",
      "/api/s",
    ]);
    expect(events).toEqual([1]);
  });
});
