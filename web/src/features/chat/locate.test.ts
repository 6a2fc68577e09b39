import { ApiError } from "@/api/errors";
import { leafThrough, locateMessage, type FetchBranch } from "./locate";

/**
 * Thread t1: u1 → a1 → u2 → a2 (branch ending a2), and u2' → a2' forked after a1
 * (newest). Thread t2: u9 → a9.
 */
const parents: Record<string, Record<string, string | null>> = {
  t1: { u1: null, a1: "u1", u2: "a1", a2: "u2", "u2'": "a1", "a2'": "u2'" },
  t2: { u9: null, a9: "u9" },
};
const leaves: Record<string, string[]> = { t1: ["a2'", "a2"], t2: ["a9"] };

const fetchBranch: FetchBranch = (threadId, leafId) => {
  const tree = parents[threadId] ?? {};
  if (!(leafId in tree))
    return Promise.reject(
      new ApiError({ status: 404, code: "NotFound", detail: "message not found" }),
    );
  const path: string[] = [];
  for (let id: string | null | undefined = leafId; id; id = tree[id]) path.unshift(id);
  return Promise.resolve({
    messages: path.map((id) => ({ id })),
    leaf_ids: leaves[threadId] ?? [],
  });
};

describe("leafThrough", () => {
  it("picks the newest branch that goes through the message", async () => {
    expect(await leafThrough(fetchBranch, "t1", leaves.t1 ?? [], "a1")).toBe("a2'");
    expect(await leafThrough(fetchBranch, "t1", leaves.t1 ?? [], "u2")).toBe("a2");
    expect(await leafThrough(fetchBranch, "t1", leaves.t1 ?? [], "zz")).toBeNull();
  });
});

describe("locateMessage", () => {
  it("finds the thread holding the message and a whole branch through it", async () => {
    expect(await locateMessage(fetchBranch, ["t2", "t1"], "a2")).toEqual({
      threadId: "t1",
      leafId: "a2",
    });
    expect(await locateMessage(fetchBranch, ["t1", "t2"], "u9")).toEqual({
      threadId: "t2",
      leafId: "a9",
    });
  });

  it("is null when no thread has it", async () => {
    expect(await locateMessage(fetchBranch, ["t1", "t2"], "gone")).toBeNull();
    expect(await locateMessage(fetchBranch, [], "a1")).toBeNull();
  });

  it("passes on errors other than not found", async () => {
    const failing: FetchBranch = () =>
      Promise.reject(new ApiError({ status: 500, code: "InternalError", detail: "boom" }));
    await expect(locateMessage(failing, ["t1"], "a1")).rejects.toThrow("boom");
  });
});
