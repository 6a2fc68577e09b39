import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { json, renderWithProviders } from "@/test/render";
import { BranchesDialog } from "./BranchesDialog";

const server = await vi.hoisted(async () => (await import("@/test/mockApi")).createMockServer());

vi.mock("@/api/client", async (importOriginal) => {
  const mod = await importOriginal<typeof import("@/api/client")>();
  return {
    ...mod,
    api: mod.createApiClient({
      baseUrl: "http://test.local",
      fetch: server.fetch,
      csrfToken: () => "t",
    }),
  };
});

const base = "/api/version-history/p-1";
const branches = {
  current: "main",
  branches: [
    { name: "feature", head: "f".repeat(40), current: false },
    { name: "main", head: "a".repeat(40), current: true },
  ],
};

function renderDialog() {
  const onMerged = vi.fn();
  const onCompare = vi.fn();
  renderWithProviders(
    <BranchesDialog
      projectId="p-1"
      open
      onOpenChange={vi.fn()}
      onMerged={onMerged}
      onCompare={onCompare}
    />,
  );
  return { onMerged, onCompare };
}

describe("BranchesDialog", () => {
  beforeEach(() => {
    server.reset();
    server.on(`GET ${base}/branches`, () => json(branches));
  });

  it("reports a conflicting merge with its files and offers to compare the branches", async () => {
    server.on(`POST ${base}/branches/merge`, () =>
      json(
        {
          error: "MergeConflict",
          detail: "merging feature conflicts in: index.html; the merge was aborted",
          files: ["index.html"],
        },
        409,
      ),
    );
    const { onMerged, onCompare } = renderDialog();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Merge into main" }));

    const report = await screen.findByTestId("merge-conflict");
    expect(report).toHaveTextContent("feature and main both changed the same file: not merged.");
    expect(within(report).getByTestId("merge-conflict-file")).toHaveTextContent("index.html");
    expect(report).toHaveTextContent("Nothing was changed");
    expect(onMerged).not.toHaveBeenCalled();
    const sent = server.requests.find((r) => r.url.pathname.endsWith("/merge"));
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({ source: "feature" });

    await user.click(within(report).getByRole("button", { name: "Compare the branches" }));
    expect(onCompare).toHaveBeenCalledWith({
      from: "a".repeat(40),
      to: "f".repeat(40),
      title: "main and feature",
    });
  });

  it("hands the merge version on so open editors reload", async () => {
    const version = { hash: "b".repeat(40), short_hash: "bbbbbbb", files_changed: ["index.html"] };
    server.on(`POST ${base}/branches/merge`, () =>
      json({ version, fast_forward: false, up_to_date: false, saved: null }),
    );
    const { onMerged } = renderDialog();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Merge into main" }));
    await waitFor(() => expect(onMerged).toHaveBeenCalledWith(version));
    expect(screen.queryByTestId("merge-conflict")).not.toBeInTheDocument();
  });

  it("asks again before deleting a branch whose versions are merged nowhere, then forces", async () => {
    server.on(`DELETE ${base}/branches/feature`, (_request, url) =>
      url.searchParams.get("force") === "true"
        ? new Response(null, { status: 204 })
        : json(
            { error: "BranchNotMerged", detail: "branch 'feature' has versions not merged" },
            409,
          ),
    );
    renderDialog();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Delete branch feature" }));
    await user.click(
      within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Delete branch" }),
    );

    const again = await screen.findByRole("alertdialog");
    expect(again).toHaveTextContent("feature has versions that are not merged");
    await user.click(within(again).getByRole("button", { name: "Delete anyway" }));
    await waitFor(() =>
      expect(server.requests.filter((r) => r.method === "DELETE")).toHaveLength(2),
    );
    expect(
      server.requests
        .filter((r) => r.method === "DELETE")
        .map((r) => r.url.searchParams.get("force")),
    ).toEqual([null, "true"]);
  });
});
