/**
 * Server-sent events over `fetch`: the chat stream and the sandbox's `execute` are POSTs
 * with a CSRF header, which `EventSource` cannot send. This is the one module that calls
 * `fetch` by hand; everything else goes through the generated client.
 */
import { CSRF_HEADER, currentCsrfToken } from "@/api/csrf";
import { toApiError } from "@/api/errors";

export interface SSEMessage {
  event: string;
  data: string;
}

/**
 * Incremental SSE parser (the WHATWG event-stream format): feed it decoded text in chunks
 * of any size; it returns the events completed so far. `event:` defaults to "message";
 * several `data:` lines join with "\n"; comments (`:`) and `id:`/`retry:` are ignored.
 */
export class SSEParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  feed(chunk: string): SSEMessage[] {
    this.buffer += chunk;
    const out: SSEMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone "\r" at the end of a chunk may be the first half of "\r\n": wait for more.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  /** The stream ended: an event not yet terminated by a blank line is dispatched. */
  end(): SSEMessage[] {
    const rest = this.buffer;
    this.buffer = "";
    const out: SSEMessage[] = [];
    if (rest) {
      const message = this.line(rest);
      if (message) out.push(message);
    }
    const last = this.line("");
    if (last) out.push(last);
    return out;
  }

  private line(line: string): SSEMessage | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return null;
      }
      const message = { event: this.event || "message", data: this.data.join("\n") };
      this.event = "";
      this.data = [];
      return message;
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return null;
  }
}

export interface StreamOptions {
  signal?: AbortSignal;
  onEvent: (event: string, data: unknown) => void;
  fetch?: typeof fetch;
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

async function post(
  url: string,
  body: unknown,
  signal: AbortSignal | undefined,
  fetcher: typeof fetch,
) {
  const headers = new Headers({ "Content-Type": "application/json", Accept: "text/event-stream" });
  const token = currentCsrfToken();
  if (token) headers.set(CSRF_HEADER, token);
  return fetcher(url, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
    credentials: "include",
    signal,
  });
}

/**
 * POSTs `body` to `url` and calls `onEvent` for every SSE event (data parsed as JSON when
 * it is JSON). Errors before the stream starts throw an `ApiError`; a 401 or a CSRF
 * refusal renews the session once and retries (the generated client's middleware does the
 * same for ordinary calls). Resolves when the stream ends; rejects with an `AbortError`
 * when `signal` aborts.
 */
export async function streamSSE(url: string, body: unknown, options: StreamOptions): Promise<void> {
  const fetcher = options.fetch ?? fetch;
  let response = await post(url, body, options.signal, fetcher);
  if (response.status === 401 || response.status === 403) {
    const renew = response.status === 401 ? "/api/auth/refresh" : "/api/auth/session";
    const headers = new Headers();
    const token = currentCsrfToken();
    if (token) headers.set(CSRF_HEADER, token);
    const renewed = await fetcher(renew, {
      method: response.status === 401 ? "POST" : "GET",
      headers,
      credentials: "include",
    });
    if (renewed.ok) response = await post(url, body, options.signal, fetcher);
  }
  if (!response.ok || !response.body) {
    let errorBody: unknown = null;
    try {
      errorBody = await response.json();
    } catch {
      errorBody = null;
    }
    throw toApiError(errorBody, response);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SSEParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = decoder.decode(value, { stream: true });
    for (const message of parser.feed(text))
      options.onEvent(message.event, parseData(message.data));
  }
  for (const message of parser.feed(decoder.decode()))
    options.onEvent(message.event, parseData(message.data));
  for (const message of parser.end()) options.onEvent(message.event, parseData(message.data));
}
