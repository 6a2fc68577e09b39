import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Deployment, DeployStatus, Project } from "@/api/types";
import { WorkspaceBus } from "@/features/workspace/bus";
import { json, renderWithProviders } from "@/test/render";
import { PublishButton } from "./PublishButton";

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

const project = {
  id: "0a1b2c3d-0000-0000-0000-000000000000",
  name: "Hat Shop",
  template: "nextjs",
} as Project;

const queued = {
  id: "d1",
  project_id: project.id,
  target: "local",
  commit_sha: "abcdef0123",
  status: "queued",
  url: null,
  error_summary: null,
  created_at: "2026-01-01T00:00:00Z",
  started_at: null,
  finished_at: null,
} as Deployment;

// Casts: the answers may carry more fields than these tests look at.
function status(over: Partial<DeployStatus>): DeployStatus {
  return { slug: null, url: null, live: null, latest: null, ...over } as DeployStatus;
}

const publishBodies = () =>
  server.requests.filter((r) => r.method === "POST").map((r) => JSON.parse(r.body) as unknown);

function renderButton() {
  const onShowDeployments = vi.fn();
  renderWithProviders(
    <PublishButton
      project={project}
      bus={new WorkspaceBus()}
      onShowDeployments={onShowDeployments}
    />,
  );
  return onShowDeployments;
}

describe("PublishButton", () => {
  beforeEach(() => server.reset());

  it("asks for the address the first time and shows the server's refusal inline", async () => {
    server.on(`GET /api/deploy/${project.id}/status`, () => json(status({})));
    server.on(`POST /api/deploy/${project.id}/local`, () =>
      json({ error: "SlugTaken", detail: "The address 'taken-one' is taken by another app." }, 409),
    );
    renderButton();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Publish" }));
    const address = await screen.findByLabelText("Address");
    expect(address).toHaveValue("hat-shop-0a1b2c");
    expect(screen.getByTestId("publish-url-preview")).toHaveTextContent(
      /^http:\/\/hat-shop-0a1b2c\.apps\.localhost(:\d+)?\/$/,
    );
    await user.clear(address);
    await user.type(address, "Taken-One");
    expect(address).toHaveValue("taken-one");
    await user.click(screen.getByRole("button", { name: "Publish" }));
    expect(await screen.findByText(/is taken by another app/)).toBeInTheDocument();
    expect(publishBodies()).toEqual([{ slug: "taken-one" }]);
    // Editing the address clears the server's message; a bad one is refused before asking.
    await user.type(address, "_");
    expect(screen.queryByText(/is taken by another app/)).not.toBeInTheDocument();
    expect(screen.getByText(/lowercase letters/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Publish" })).toBeDisabled();
  });

  it("publishes at the kept address without asking, then shows progress", async () => {
    let current = status({ slug: "hats", url: "http://hats.apps.localhost:8000/" });
    server.on(`GET /api/deploy/${project.id}/status`, () => json(current));
    server.on(`POST /api/deploy/${project.id}/local`, () => {
      current = { ...current, latest: queued };
      return json(queued, 202);
    });
    const onShowDeployments = renderButton();
    const button = await screen.findByTestId("workspace-publish");
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.setup().click(button);
    await waitFor(() => expect(button).toHaveAttribute("data-state", "building"));
    expect(button).toHaveTextContent("Publishing…");
    expect(screen.queryByLabelText("Address")).not.toBeInTheDocument();
    expect(publishBodies()).toEqual([{}]);
    expect(onShowDeployments).toHaveBeenCalled();
  });
});
