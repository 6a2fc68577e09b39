import { beforeEach, describe, expect, it, vi } from "vitest";
import { readBuildLog } from "./logStream";

const server = await vi.hoisted(async () => (await import("@/test/mockApi")).createMockServer());

vi.mock("@/api/client", async (importOriginal) => {
  const mod = await importOriginal<typeof import("@/api/client")>();
  return {
    ...mod,
    api: mod.createApiClient({
      baseUrl: "http://test.local",
      fetch: server.fetch,
      csrfToken: () => "t",
    }),
  };
});

function collect() {
  const log = { text: "", done: 0 };
  const reader = {
    onLog: (text: string, append: boolean) => {
      log.text = append ? log.text + text : text;
    },
    onDone: () => {
      log.done += 1;
    },
  };
  return { log, reader };
}

describe("readBuildLog", () => {
  beforeEach(() => server.reset());

  it("follows the server's event stream to its end", async () => {
    server.on("GET /api/deploy/p1/logs", (request) => {
      expect(request.headers.get("Accept")).toBe("text/event-stream");
      const body = [
        'event: log\ndata: {"text": "$ next build\\n"}\n\n',
        'event: log\ndata: {"text": "Compiled"}\n\nevent: log\ndata: {"text": " fine\\n"}\n\n',
        'event: done\ndata: {"status": "ready", "error_summary": null}\n\n',
      ];
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const part of body) controller.enqueue(new TextEncoder().encode(part));
          controller.close();
        },
      });
      return new Response(stream, { headers: { "Content-Type": "text/event-stream" } });
    });
    const { log, reader } = collect();
    const streamed = await readBuildLog("p1", "d1", true, new AbortController().signal, reader);
    expect(streamed).toBe(true);
    expect(log).toEqual({ text: "$ next build\nCompiled fine\n", done: 1 });
    expect(server.requests[0]?.url.searchParams.get("deployment_id")).toBe("d1");
  });

  it("takes a plain-text answer as the log so far", async () => {
    server.on(
      "GET /api/deploy/p1/logs",
      () => new Response("Building…\n", { headers: { "Content-Type": "text/plain" } }),
    );
    const { log, reader } = collect();
    expect(await readBuildLog("p1", "d1", true, new AbortController().signal, reader)).toBe(false);
    expect(log).toEqual({ text: "Building…\n", done: 0 });
  });

  it("reports the server's refusal", async () => {
    server.on(
      "GET /api/deploy/p1/logs",
      () =>
        new Response(JSON.stringify({ error: "NotFound", detail: "No such deployment." }), {
          status: 404,
          headers: { "Content-Type": "application/json" },
        }),
    );
    const { reader } = collect();
    await expect(
      readBuildLog("p1", "d1", false, new AbortController().signal, reader),
    ).rejects.toThrow("No such deployment.");
  });
});
