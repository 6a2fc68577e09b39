/**
 * The project WebSocket (`/ws/projects/{id}`): one connection per open workspace, with
 * reconnection (exponential backoff with jitter, reset once a connection says hello) and
 * a heartbeat ping. The class is framework-free so its timing can be tested.
 */

export interface ServerMessage {
  type: string;
  data: Record<string, unknown>;
}

export type ConnectionState = "connecting" | "open" | "closed" | "denied";

/** The subset of `WebSocket` this client uses (a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface ProjectSocketOptions {
  onMessage: (message: ServerMessage) => void;
  onState?: (state: ConnectionState) => void;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  heartbeatMs?: number;
}

const OPEN = 1;
/** The server closes with 4403 when the session or the project is not ours: retrying is pointless. */
export const DENIED_CLOSE_CODE = 4403;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 30 s, ±50% jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

export function projectSocketUrl(
  projectId: string,
  location: Pick<Location, "protocol" | "host"> = window.location,
): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/projects/${encodeURIComponent(projectId)}`;
}

export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (typeof raw !== "string") return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (
    typeof value !== "object" ||
    value === null ||
    !("type" in value) ||
    typeof value.type !== "string"
  )
    return null;
  const data =
    "data" in value && typeof value.data === "object" && value.data !== null ? value.data : {};
  return { type: value.type, data: data as Record<string, unknown> };
}

export class ProjectSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private stopped = true;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private readonly createSocket: (url: string) => SocketLike;
  private readonly random: () => number;
  private readonly heartbeatMs: number;

  constructor(
    private readonly url: string,
    private readonly options: ProjectSocketOptions,
  ) {
    this.createSocket = options.createSocket ?? ((u) => new WebSocket(u));
    this.random = options.random ?? Math.random;
    this.heartbeatMs = options.heartbeatMs ?? 25_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, "workspace closed");
    }
    this.options.onState?.("closed");
  }

  /** Sends when connected; messages while disconnected are dropped (they are best-effort). */
  send(message: { type: string; data?: Record<string, unknown> }): boolean {
    if (this.socket?.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private connect(): void {
    this.options.onState?.("connecting");
    const socket = this.createSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.options.onState?.("open");
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = setInterval(() => this.send({ type: "ping" }), this.heartbeatMs);
    };
    socket.onmessage = (event) => {
      const message = parseServerMessage(event.data);
      if (!message) return;
      // Only a hello proves the server accepted us: a socket that opens and is closed
      // at once (auth refused, server restarting) keeps backing off.
      if (message.type === "hello") this.attempt = 0;
      if (message.type !== "pong") this.options.onMessage(message);
    };
    socket.onclose = (event) => {
      clearInterval(this.heartbeatTimer);
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (event.code === DENIED_CLOSE_CODE) {
        this.stopped = true;
        this.options.onState?.("denied");
        return;
      }
      this.options.onState?.("closed");
      const delay = reconnectDelay(this.attempt, this.random);
      this.attempt += 1;
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    };
    socket.onerror = () => {
      // onclose follows and schedules the retry.
    };
  }
}
