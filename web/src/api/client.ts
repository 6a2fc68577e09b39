import createClient, { type Client, type Middleware } from "openapi-fetch";
import { CSRF_HEADER, currentCsrfToken, isUnsafeMethod } from "./csrf";
import type { paths } from "./schema";

export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
  /** Source of the CSRF token; defaults to the `appwright_csrf` cookie. */
  csrfToken?: () => string | null;
  /** Called when a 401 could not be fixed by refreshing the session. */
  onSessionExpired?: () => void;
}

const REFRESH_PATH = "/api/auth/refresh";
const SESSION_PATH = "/api/auth/session";
// Endpoints whose 401 means "wrong credentials", not "expired access token".
const NO_REFRESH_PATHS = new Set<string>([
  REFRESH_PATH,
  "/api/auth/signin",
  "/api/auth/signup",
  "/api/auth/signout",
]);

/** Adds the double-submit CSRF header to every unsafe request. */
export function csrfMiddleware(csrfToken: () => string | null): Middleware {
  return {
    onRequest({ request }) {
      if (!isUnsafeMethod(request.method)) return undefined;
      const token = csrfToken();
      if (token) request.headers.set(CSRF_HEADER, token);
      return request;
    },
  };
}

async function isCsrfError(response: Response): Promise<boolean> {
  try {
    const body: unknown = await response.clone().json();
    return (
      typeof body === "object" && body !== null && "error" in body && body.error === "CSRFError"
    );
  } catch {
    return false;
  }
}

/**
 * On a 403 CSRFError, renews the CSRF cookie and retries once.
 * On a 401, refreshes the session once (concurrent 401s share one refresh call) and
 * retries the original request once. A failed refresh reports the session as expired.
 */
export function refreshMiddleware(options: {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  csrfToken: () => string | null;
  onSessionExpired?: () => void;
}): Middleware {
  const pending = new Map<string, Request>();
  const noRefresh = new Set<string>();
  let inFlight: Promise<boolean> | null = null;

  const refresh = (): Promise<boolean> => {
    inFlight ??= (async () => {
      try {
        const headers = new Headers();
        const token = options.csrfToken();
        if (token) headers.set(CSRF_HEADER, token);
        const response = await options.fetch(
          new Request(`${options.baseUrl}${REFRESH_PATH}`, {
            method: "POST",
            headers,
            credentials: "include",
          }),
        );
        return response.ok;
      } catch {
        return false;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };

  // GET /api/auth/session (re)sets the CSRF cookie, e.g. after the user cleared cookies.
  const renewCsrf = async (): Promise<boolean> => {
    try {
      const response = await options.fetch(
        new Request(`${options.baseUrl}${SESSION_PATH}`, { method: "GET", credentials: "include" }),
      );
      return response.ok && options.csrfToken() !== null;
    } catch {
      return false;
    }
  };

  const retry = (original: Request): Promise<Response> => {
    // The refresh may have rotated the CSRF cookie: send the current value.
    const headers = new Headers(original.headers);
    const token = options.csrfToken();
    if (token && isUnsafeMethod(original.method)) headers.set(CSRF_HEADER, token);
    return options.fetch(new Request(original, { headers }));
  };

  return {
    onRequest({ request, schemaPath, id }) {
      // Keep an unread copy: the original body is consumed by the first attempt.
      pending.set(id, request.clone());
      if (NO_REFRESH_PATHS.has(schemaPath)) noRefresh.add(id);
      return undefined;
    },
    async onResponse({ response, id }) {
      const original = pending.get(id);
      const refreshable = !noRefresh.has(id);
      pending.delete(id);
      noRefresh.delete(id);
      if (!original) return undefined;
      if (response.status === 403 && (await isCsrfError(response))) {
        return (await renewCsrf()) ? retry(original) : undefined;
      }
      if (response.status !== 401 || !refreshable) return undefined;
      const refreshed = await refresh();
      if (!refreshed) {
        options.onSessionExpired?.();
        return undefined;
      }
      const retried = await retry(original);
      if (retried.status === 401) options.onSessionExpired?.();
      return retried;
    },
    onError({ id }) {
      pending.delete(id);
      noRefresh.delete(id);
      return undefined;
    },
  };
}

export function createApiClient(opts: ApiClientOptions = {}): ApiClient {
  const baseUrl = opts.baseUrl ?? "";
  const doFetch = opts.fetch ?? ((request: Request) => globalThis.fetch(request));
  const csrfToken = opts.csrfToken ?? currentCsrfToken;
  const client = createClient<paths>({ baseUrl, credentials: "include", fetch: doFetch });
  client.use(csrfMiddleware(csrfToken));
  client.use(
    refreshMiddleware({
      baseUrl: baseUrl || (typeof window === "undefined" ? "" : window.location.origin),
      fetch: doFetch,
      csrfToken,
      onSessionExpired: opts.onSessionExpired,
    }),
  );
  return client;
}

type Listener = () => void;
const sessionExpiredListeners = new Set<Listener>();

/** Subscribe to "the session is gone" (refresh failed); returns an unsubscribe function. */
export function onSessionExpired(listener: Listener): () => void {
  sessionExpiredListeners.add(listener);
  return () => {
    sessionExpiredListeners.delete(listener);
  };
}

/** The app's single API client. */
export const api: ApiClient = createApiClient({
  onSessionExpired: () => {
    for (const listener of sessionExpiredListeners) listener();
  },
});
