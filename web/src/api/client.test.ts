import { describe, expect, it, vi } from "vitest";
import { json } from "@/test/render";
import { createApiClient } from "./client";
import { CSRF_HEADER, readCookie } from "./csrf";

const BASE = "http://test.local";
const user = {
  id: "u1",
  email: "a@example.com",
  name: "A",
  avatar_url: null,
  email_verified: false,
  subscription_tier: "free",
  theme: "system" as const,
  created_at: "2025-01-01T00:00:00Z",
};

type Handler = (request: Request) => Response | Promise<Response>;

function setup(handler: Handler, csrf: () => string | null = () => "csrf-1") {
  const seen: Request[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    seen.push(request.clone());
    return handler(request);
  });
  const onSessionExpired = vi.fn();
  const client = createApiClient({
    baseUrl: BASE,
    fetch: fetchMock,
    csrfToken: csrf,
    onSessionExpired,
  });
  const paths = () => seen.map((r) => `${r.method} ${new URL(r.url).pathname}`);
  return { client, seen, paths, onSessionExpired };
}

describe("readCookie", () => {
  it("finds a cookie among others and decodes it", () => {
    expect(readCookie("appwright_csrf", "a=1; appwright_csrf=x%2By; b=2")).toBe("x+y");
    expect(readCookie("appwright_csrf", "appwright_csrf_old=1")).toBeNull();
  });
});

describe("CSRF middleware", () => {
  it("sends the token on unsafe methods only", async () => {
    const { client, seen } = setup((req) =>
      req.method === "GET"
        ? json({ items: [], total: 0, page: 1, page_size: 24 })
        : new Response(null, { status: 204 }),
    );
    await client.GET("/api/projects");
    await client.POST("/api/auth/signout");
    await client.DELETE("/api/projects/{project_id}", {
      params: { path: { project_id: "p" }, query: { confirm_name: "x" } },
    });
    await client.PATCH("/api/users/me", { body: { theme: "dark" } });
    expect(seen.map((r) => [r.method, r.headers.get(CSRF_HEADER)])).toEqual([
      ["GET", null],
      ["POST", "csrf-1"],
      ["DELETE", "csrf-1"],
      ["PATCH", "csrf-1"],
    ]);
  });

  it("reads the token from the appwright_csrf cookie by default", async () => {
    document.cookie = "appwright_csrf=from-cookie";
    const fetchMock = vi.fn<(request: Request) => Promise<Response>>(() =>
      Promise.resolve(new Response(null, { status: 204 })),
    );
    const client = createApiClient({ baseUrl: BASE, fetch: fetchMock });
    await client.POST("/api/auth/signout");
    expect(fetchMock.mock.calls[0]?.[0].headers.get(CSRF_HEADER)).toBe("from-cookie");
  });
});

describe("refresh on 401", () => {
  it("refreshes once and retries the request with its body", async () => {
    let refreshed = false;
    const { client, seen, paths } = setup(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/api/auth/refresh") {
        refreshed = true;
        return json({ user });
      }
      if (!refreshed) return json({ error: "NotAuthenticated", detail: "expired" }, 401);
      const body = (await req.json()) as { name: string };
      return json({ id: "p1", name: body.name }, 201);
    });
    const result = await client.POST("/api/projects", {
      body: { name: "Todo", template: "static" },
    });
    expect(result.response.status).toBe(201);
    expect(result.data?.name).toBe("Todo");
    expect(paths()).toEqual(["POST /api/projects", "POST /api/auth/refresh", "POST /api/projects"]);
    expect(seen[1]?.headers.get(CSRF_HEADER)).toBe("csrf-1");
  });

  it("shares one refresh between concurrent 401s", async () => {
    let refreshed = false;
    let refreshCalls = 0;
    let releaseRefresh: () => void = () => undefined;
    const refreshGate = new Promise<void>((resolve) => {
      releaseRefresh = resolve;
    });
    const { client } = setup(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/api/auth/refresh") {
        refreshCalls += 1;
        await refreshGate;
        refreshed = true;
        return json({ user });
      }
      if (!refreshed) return json({ error: "NotAuthenticated", detail: "expired" }, 401);
      return json([]);
    });
    const calls = Promise.all([
      client.GET("/api/templates"),
      client.GET("/api/auth/api-keys"),
      client.GET("/api/templates"),
    ]);
    await vi.waitFor(() => expect(refreshCalls).toBe(1));
    releaseRefresh();
    const results = await calls;
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(refreshCalls).toBe(1);
  });

  it("sends the rotated CSRF token on the retry", async () => {
    let token = "old";
    let refreshed = false;
    const { client, seen } = setup(
      (req) => {
        if (new URL(req.url).pathname === "/api/auth/refresh") {
          refreshed = true;
          token = "new";
          return json({ user });
        }
        return refreshed ? json(user) : json({ error: "NotAuthenticated", detail: "expired" }, 401);
      },
      () => token,
    );
    await client.PATCH("/api/users/me", { body: { theme: "dark" } });
    expect(seen.map((r) => r.headers.get(CSRF_HEADER))).toEqual(["old", "old", "new"]);
  });

  it("reports an expired session when the refresh fails, without retrying", async () => {
    const { client, paths, onSessionExpired } = setup(() =>
      json({ error: "NotAuthenticated", detail: "Sign in again." }, 401),
    );
    const result = await client.GET("/api/templates");
    expect(result.response.status).toBe(401);
    expect(result.error).toEqual({ error: "NotAuthenticated", detail: "Sign in again." });
    expect(paths()).toEqual(["GET /api/templates", "POST /api/auth/refresh"]);
    expect(onSessionExpired).toHaveBeenCalledOnce();
  });

  it("does not refresh when sign-in itself answers 401", async () => {
    const { client, paths } = setup(() =>
      json({ error: "InvalidCredentials", detail: "Wrong email or password." }, 401),
    );
    const result = await client.POST("/api/auth/signin", {
      body: { email: "a@example.com", password: "nope" },
    });
    expect(result.response.status).toBe(401);
    expect(paths()).toEqual(["POST /api/auth/signin"]);
  });
});

describe("CSRF recovery", () => {
  it("renews a missing CSRF cookie through the session endpoint and retries once", async () => {
    let token: string | null = null;
    const { client, paths, seen } = setup(
      (req) => {
        const path = new URL(req.url).pathname;
        if (path === "/api/auth/session") {
          token = "fresh";
          return json({ user });
        }
        return req.headers.get(CSRF_HEADER) === "fresh"
          ? json(user)
          : json({ error: "CSRFError", detail: "Missing or invalid CSRF token" }, 403);
      },
      () => token,
    );
    const result = await client.PATCH("/api/users/me", { body: { theme: "light" } });
    expect(result.response.status).toBe(200);
    expect(paths()).toEqual([
      "PATCH /api/users/me",
      "GET /api/auth/session",
      "PATCH /api/users/me",
    ]);
    expect(await seen[2]?.json()).toEqual({ theme: "light" });
  });

  it("passes other 403s through untouched", async () => {
    const { client, paths } = setup(() =>
      json({ error: "PlanLimitExceeded", detail: "Free plan: 3 projects." }, 403),
    );
    const result = await client.POST("/api/projects", { body: { name: "x", template: "static" } });
    expect(result.error).toEqual({ error: "PlanLimitExceeded", detail: "Free plan: 3 projects." });
    expect(paths()).toEqual(["POST /api/projects"]);
  });
});
