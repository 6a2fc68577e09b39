import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKeyedDebouncer } from "./debounce";

describe("autosave debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("saves once, after the delay since the last edit", () => {
    const run = vi.fn<(key: string) => void>();
    const d = createKeyedDebouncer(run, 1000);
    d.schedule("a.ts");
    vi.advanceTimersByTime(800);
    d.schedule("a.ts"); // typing again restarts the wait
    vi.advanceTimersByTime(800);
    expect(run).not.toHaveBeenCalled();
    expect(d.pending("a.ts")).toBe(true);
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith("a.ts");
    expect(d.pending("a.ts")).toBe(false);
  });

  it("keeps one timer per file", () => {
    const run = vi.fn<(key: string) => void>();
    const d = createKeyedDebouncer(run, 500);
    d.schedule("a.ts");
    vi.advanceTimersByTime(300);
    d.schedule("b.ts");
    vi.advanceTimersByTime(200);
    expect(run.mock.calls).toEqual([["a.ts"]]);
    vi.advanceTimersByTime(300);
    expect(run.mock.calls).toEqual([["a.ts"], ["b.ts"]]);
  });

  it("flushes now and cancels without saving", () => {
    const run = vi.fn<(key: string) => void>();
    const d = createKeyedDebouncer(run, 1000);
    d.schedule("a.ts");
    d.schedule("b.ts");
    d.flush("a.ts");
    expect(run.mock.calls).toEqual([["a.ts"]]);
    d.cancel("b.ts");
    vi.advanceTimersByTime(5000);
    expect(run.mock.calls).toEqual([["a.ts"]]);
    d.flush("a.ts"); // nothing pending: no second save
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("uses a new delay for the next edit", () => {
    const run = vi.fn<(key: string) => void>();
    const d = createKeyedDebouncer(run, 1000);
    d.setDelay(200);
    d.schedule("a.ts");
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
