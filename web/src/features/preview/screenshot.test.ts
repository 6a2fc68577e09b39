import { parseScreenshotReply, requestScreenshot, screenshotFileName } from "./screenshot";

const ORIGIN = "http://p1.preview.localhost:8000";
const PNG = "data:image/png;base64,iVBORw0KGgo=";

type Listener = (event: MessageEvent) => void;

/** A window stand-in: records posted commands, delivers replies to the listener. */
function setup() {
  const frame = { postMessage: vi.fn() } as unknown as Window;
  const listeners = new Set<Listener>();
  const listenOn = {
    addEventListener: (_: string, fn: Listener) => listeners.add(fn),
    removeEventListener: (_: string, fn: Listener) => listeners.delete(fn),
  } as unknown as Pick<Window, "addEventListener" | "removeEventListener">;
  const deliver = (event: { origin: string; source: unknown; data: unknown }) => {
    for (const fn of [...listeners]) fn(event as MessageEvent);
  };
  const sentId = (): string => {
    const calls = (frame.postMessage as unknown as ReturnType<typeof vi.fn>).mock.calls;
    const [command, targetOrigin] = calls[0] as [
      { source: string; type: string; id: string },
      string,
    ];
    expect(command).toMatchObject({ source: "appwright-workspace", type: "screenshot" });
    expect(targetOrigin).toBe(ORIGIN);
    return command.id;
  };
  return { frame, listenOn, listeners, deliver, sentId };
}

const reply = (id: string, extra: Record<string, unknown> = {}) => ({
  source: "appwright-preview",
  type: "screenshot",
  id,
  ok: true,
  dataUrl: PNG,
  width: 800,
  height: 600,
  ...extra,
});

describe("parseScreenshotReply", () => {
  const frame = {} as MessageEventSource;

  it("matches the id, the preview origin and our iframe's window", () => {
    expect(
      parseScreenshotReply({ origin: ORIGIN, source: frame, data: reply("a") }, ORIGIN, frame, "a"),
    ).toEqual({
      ok: true,
      dataUrl: PNG,
      width: 800,
      height: 600,
    });
    expect(
      parseScreenshotReply({ origin: ORIGIN, source: frame, data: reply("b") }, ORIGIN, frame, "a"),
    ).toBeNull();
    expect(
      parseScreenshotReply(
        { origin: "http://evil.example", source: frame, data: reply("a") },
        ORIGIN,
        frame,
        "a",
      ),
    ).toBeNull();
    expect(
      parseScreenshotReply(
        { origin: ORIGIN, source: {} as MessageEventSource, data: reply("a") },
        ORIGIN,
        frame,
        "a",
      ),
    ).toBeNull();
    expect(
      parseScreenshotReply(
        { origin: ORIGIN, source: frame, data: { ...reply("a"), type: "console" } },
        ORIGIN,
        frame,
        "a",
      ),
    ).toBeNull();
  });

  it("turns an error reply or a non-PNG data URL into a failure", () => {
    expect(
      parseScreenshotReply(
        { origin: ORIGIN, source: frame, data: reply("a", { ok: false, error: "tainted" }) },
        ORIGIN,
        frame,
        "a",
      ),
    ).toEqual({
      ok: false,
      error: "tainted",
    });
    expect(
      parseScreenshotReply(
        { origin: ORIGIN, source: frame, data: reply("a", { dataUrl: "javascript:alert(1)" }) },
        ORIGIN,
        frame,
        "a",
      ),
    ).toMatchObject({
      ok: false,
    });
  });
});

describe("requestScreenshot", () => {
  it("sends a fresh id to the preview origin and resolves with the matching reply only", async () => {
    const { frame, listenOn, listeners, deliver, sentId } = setup();
    const promise = requestScreenshot(frame, ORIGIN, { listenOn });
    const id = sentId();
    deliver({
      origin: "http://evil.example",
      source: frame,
      data: reply(id, { dataUrl: `${PNG}evil` }),
    });
    deliver({ origin: ORIGIN, source: {}, data: reply(id, { dataUrl: `${PNG}other` }) });
    deliver({ origin: ORIGIN, source: frame, data: reply(`${id}-old`, { dataUrl: `${PNG}old` }) });
    deliver({ origin: ORIGIN, source: frame, data: reply(id) });
    await expect(promise).resolves.toEqual({ dataUrl: PNG, width: 800, height: 600 });
    expect(listeners.size).toBe(0);
  });

  it("uses a new id each time", () => {
    const a = setup();
    const b = setup();
    void requestScreenshot(a.frame, ORIGIN, { listenOn: a.listenOn, timeoutMs: 1 }).catch(
      () => undefined,
    );
    void requestScreenshot(b.frame, ORIGIN, { listenOn: b.listenOn, timeoutMs: 1 }).catch(
      () => undefined,
    );
    expect(a.sentId()).not.toBe(b.sentId());
  });

  it("rejects with the page's error", async () => {
    const { frame, listenOn, deliver, sentId } = setup();
    const promise = requestScreenshot(frame, ORIGIN, { listenOn });
    deliver({
      origin: ORIGIN,
      source: frame,
      data: reply(sentId(), { ok: false, error: "The canvas is tainted" }),
    });
    await expect(promise).rejects.toThrow("The canvas is tainted");
  });

  it("times out when nobody answers, and stops listening", async () => {
    vi.useFakeTimers();
    try {
      const { frame, listenOn, listeners } = setup();
      const promise = requestScreenshot(frame, ORIGIN, { listenOn, timeoutMs: 1000 });
      const assertion = expect(promise).rejects.toThrow(/did not answer/);
      await vi.advanceTimersByTimeAsync(1000);
      await assertion;
      expect(listeners.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects at once without a frame", async () => {
    await expect(requestScreenshot(null, ORIGIN)).rejects.toThrow(/not loaded/);
  });
});

it("names files preview-<date>-<time>.png", () => {
  expect(screenshotFileName(new Date(2024, 4, 1, 9, 3, 7))).toBe("preview-2024-05-01-09-03-07.png");
});
