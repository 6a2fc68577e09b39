import {
  DENIED_CLOSE_CODE,
  ProjectSocket,
  parseServerMessage,
  projectSocketUrl,
  reconnectDelay,
  type SocketLike,
} from "./realtime";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  receive(data: unknown) {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(data) }));
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close", { code }));
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const messages: unknown[] = [];
  const states: string[] = [];
  const client = new ProjectSocket("ws://x/ws/projects/p1", {
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onMessage: (m) => messages.push(m),
    onState: (s) => states.push(s),
    random: () => 1, // no jitter: the ceiling itself
    heartbeatMs: 1000,
  });
  return { client, sockets, messages, states };
}

describe("ProjectSocket", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reconnects with growing delays and resets them after a hello", () => {
    const { client, sockets } = setup();
    client.start();
    expect(sockets).toHaveLength(1);
    sockets[0]?.drop();
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2); // after 500 ms
    sockets[1]?.drop();
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3); // after 1000 ms
    sockets[2]?.open();
    sockets[2]?.receive({ type: "hello", data: {} });
    sockets[2]?.drop();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(4); // back to 500 ms
    client.stop();
  });

  it("forwards server events, sends pings and hides pongs", () => {
    const { client, sockets, messages } = setup();
    client.start();
    const socket = sockets[0];
    socket?.open();
    socket?.receive({ type: "file:updated", data: { path: "a.ts" } });
    socket?.receive({ type: "pong", data: {} });
    expect(messages).toEqual([{ type: "file:updated", data: { path: "a.ts" } }]);
    vi.advanceTimersByTime(1000);
    expect(socket?.sent).toEqual(['{"type":"ping"}']);
    expect(client.send({ type: "error:runtime", data: { message: "x" } })).toBe(true);
    client.stop();
  });

  it("gives up when the server refuses the session (4403)", () => {
    const { client, sockets, states } = setup();
    client.start();
    sockets[0]?.drop(DENIED_CLOSE_CODE);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe("denied");
  });

  it("stop() closes the socket and cancels a pending reconnect", () => {
    const { client, sockets } = setup();
    client.start();
    sockets[0]?.drop();
    client.stop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    client.start();
    expect(sockets).toHaveLength(2);
    client.stop();
    expect(sockets[1]?.closed).toBe(true);
    expect(client.send({ type: "ping" })).toBe(false);
  });
});

describe("helpers", () => {
  it("caps the backoff at 30 s and applies jitter", () => {
    expect(reconnectDelay(0, () => 1)).toBe(500);
    expect(reconnectDelay(20, () => 1)).toBe(30_000);
    expect(reconnectDelay(3, () => 0)).toBe(2000);
  });
  it("builds ws/wss URLs from the page location", () => {
    expect(projectSocketUrl("p1", { protocol: "https:", host: "a.example" })).toBe(
      "wss://a.example/ws/projects/p1",
    );
    expect(projectSocketUrl("p1", { protocol: "http:", host: "localhost:8000" })).toBe(
      "ws://localhost:8000/ws/projects/p1",
    );
  });
  it("ignores malformed frames", () => {
    expect(parseServerMessage("not json")).toBeNull();
    expect(parseServerMessage('{"data":{}}')).toBeNull();
    expect(parseServerMessage('{"type":"hello"}')).toEqual({ type: "hello", data: {} });
  });
});
