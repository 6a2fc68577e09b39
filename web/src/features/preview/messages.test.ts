import { parsePreviewMessage, sendPreviewCommand } from "./messages";

const ORIGIN = "http://p1.preview.localhost:8000";

function fakeWindow(): MessageEventSource {
  return { postMessage: vi.fn() } as unknown as MessageEventSource;
}

describe("parsePreviewMessage", () => {
  const frame = fakeWindow();
  const console = {
    source: "appwright-preview",
    type: "console",
    level: "warn",
    args: ["a", 1],
    url: `${ORIGIN}/`,
    time: 5,
  };

  it("accepts a report from the preview origin and our iframe", () => {
    expect(
      parsePreviewMessage({ origin: ORIGIN, source: frame, data: console }, ORIGIN, frame),
    ).toMatchObject({
      type: "console",
      level: "warn",
      args: ["a", 1],
      time: 5,
    });
  });

  it("refuses another origin, even with the right payload", () => {
    expect(
      parsePreviewMessage(
        { origin: "http://evil.example", source: frame, data: console },
        ORIGIN,
        frame,
      ),
    ).toBeNull();
    expect(
      parsePreviewMessage(
        { origin: "http://p2.preview.localhost:8000", source: frame, data: console },
        ORIGIN,
        frame,
      ),
    ).toBeNull();
  });

  it("refuses the right origin from another window (a second preview tab, a popup)", () => {
    expect(
      parsePreviewMessage({ origin: ORIGIN, source: fakeWindow(), data: console }, ORIGIN, frame),
    ).toBeNull();
    expect(
      parsePreviewMessage({ origin: ORIGIN, source: null, data: console }, ORIGIN, frame),
    ).toBeNull();
  });

  it("refuses everything before a preview link exists", () => {
    expect(
      parsePreviewMessage({ origin: ORIGIN, source: frame, data: console }, null, frame),
    ).toBeNull();
    expect(
      parsePreviewMessage({ origin: ORIGIN, source: frame, data: console }, ORIGIN, null),
    ).toBeNull();
  });

  it("refuses payloads that are not preview reports", () => {
    for (const data of [
      null,
      "text",
      { type: "console" },
      { source: "appwright-workspace", type: "reload" },
      { source: "appwright-preview", type: "nope" },
    ]) {
      expect(
        parsePreviewMessage({ origin: ORIGIN, source: frame, data }, ORIGIN, frame),
      ).toBeNull();
    }
  });

  it("normalises errors, rejections and network reports", () => {
    const error = parsePreviewMessage(
      {
        origin: ORIGIN,
        source: frame,
        data: {
          source: "appwright-preview",
          type: "error",
          message: "boom",
          filename: "a.js",
          lineno: 3,
          colno: 4,
        },
      },
      ORIGIN,
      frame,
    );
    expect(error).toMatchObject({
      type: "error",
      message: "boom",
      filename: "a.js",
      lineno: 3,
      colno: 4,
      stack: "",
    });
    const rejection = parsePreviewMessage(
      {
        origin: ORIGIN,
        source: frame,
        data: { source: "appwright-preview", type: "unhandledrejection", message: "no" },
      },
      ORIGIN,
      frame,
    );
    expect(rejection).toMatchObject({ type: "unhandledrejection", message: "no" });
    const network = parsePreviewMessage(
      {
        origin: ORIGIN,
        source: frame,
        data: {
          source: "appwright-preview",
          type: "network",
          method: "post",
          requestUrl: "/api",
          status: 500,
          ok: false,
          duration: 12,
        },
      },
      ORIGIN,
      frame,
    );
    expect(network).toMatchObject({
      type: "network",
      method: "post",
      status: 500,
      ok: false,
      duration: 12,
    });
  });
});

describe("sendPreviewCommand", () => {
  it("addresses the command to the preview origin only", () => {
    const post = vi.fn();
    const frame = { postMessage: post } as unknown as Window;
    expect(sendPreviewCommand(frame, ORIGIN, { type: "reload" })).toBe(true);
    expect(post).toHaveBeenCalledWith({ source: "appwright-workspace", type: "reload" }, ORIGIN);
    expect(sendPreviewCommand(frame, null, { type: "reload" })).toBe(false);
  });
});
