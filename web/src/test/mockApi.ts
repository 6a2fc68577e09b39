import { vi } from "vitest";

/**
 * Route table for the mocked API: tests register handlers by "METHOD /path".
 * Use with vi.mock("@/api/client", ...) so the real client and middleware run.
 */
export type RouteHandler = (request: Request, url: URL) => Response | Promise<Response>;

export function createMockServer() {
  const routes = new Map<string, RouteHandler>();
  const requests: { method: string; url: URL; body: string }[] = [];
  const fetch = vi.fn(async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    requests.push({ method: request.method, url, body: await request.clone().text() });
    const handler = routes.get(`${request.method} ${url.pathname}`);
    if (!handler) {
      return new Response(
        JSON.stringify({
          error: "NotFound",
          detail: `no mock for ${request.method} ${url.pathname}`,
        }),
        {
          status: 404,
          headers: { "Content-Type": "application/json" },
        },
      );
    }
    return handler(request, url);
  });
  return {
    fetch,
    requests,
    on(route: string, handler: RouteHandler) {
      routes.set(route, handler);
    },
    reset() {
      routes.clear();
      requests.length = 0;
      fetch.mockClear();
    },
  };
}
