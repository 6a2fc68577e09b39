import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Project, TemplateId } from "@/api/types";
import { json, renderWithProviders } from "@/test/render";
import { DashboardPage } from "./DashboardPage";

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

const templates = [
  { id: "react-vite", name: "React + Vite", description: "SPA with React", tags: ["react"] },
  { id: "static", name: "Static", description: "Plain HTML", tags: [] },
];

function project(over: Partial<Project>): Project {
  return {
    id: "p1",
    name: "Todo",
    description: "A list",
    template: "react-vite",
    github_repo_url: null,
    vercel_deployment_url: null,
    sandbox_id: null,
    supabase_connected: false,
    published_url: null,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...over,
  };
}

describe("DashboardPage", () => {
  beforeEach(() => {
    server.reset();
    localStorage.clear();
    server.on("GET /api/templates", () => json(templates));
  });

  it("shows the first-run empty state and opens the create wizard from it", async () => {
    server.on("GET /api/projects", () => json({ items: [], total: 0, page: 1, page_size: 24 }));
    renderWithProviders(<DashboardPage />);
    const empty = await screen.findByTestId("projects-empty");
    expect(empty).toHaveTextContent("No projects yet");
    await userEvent
      .setup()
      .click(within(empty).getByRole("button", { name: /create your first project/i }));
    expect(await screen.findByRole("dialog", { name: "New project" })).toBeInTheDocument();
    expect(await screen.findByRole("radio", { name: "React + Vite" })).toBeInTheDocument();
  });

  it("searches after typing stops and shows 'no matches' rather than the first-run state", async () => {
    server.on("GET /api/projects", (_req, url) => {
      const q = url.searchParams.get("q");
      if (q === "zzz") return json({ items: [], total: 0, page: 1, page_size: 24 });
      return json({ items: [project({})], total: 1, page: 1, page_size: 24 });
    });
    renderWithProviders(<DashboardPage />);
    expect(await screen.findByText("Todo")).toBeInTheDocument();
    await userEvent.setup().type(screen.getByLabelText("Search projects"), "zzz");
    expect(await screen.findByTestId("projects-no-matches")).toBeInTheDocument();
    expect(screen.queryByTestId("projects-empty")).not.toBeInTheDocument();
    const searches = server.requests
      .filter((r) => r.url.pathname === "/api/projects")
      .map((r) => r.url.searchParams.get("q"));
    // Debounced: no request per keystroke ("z", "zz").
    expect(searches).toEqual([null, "zzz"]);
  });

  it("marks a published project as live, with a link to its address", async () => {
    server.on("GET /api/projects", () =>
      json({
        items: [
          project({ id: "p1", name: "Shop", published_url: "http://shop.apps.localhost:8000/" }),
          project({ id: "p2", name: "Draft" }),
        ],
        total: 2,
        page: 1,
        page_size: 24,
      }),
    );
    renderWithProviders(<DashboardPage />);
    const shop = (await screen.findByText("Shop")).closest("li");
    const draft = screen.getByText("Draft").closest("li");
    if (!shop || !draft) throw new Error("no project cards");
    const live = within(shop).getByTestId("project-live");
    expect(live).toHaveTextContent("shop.apps.localhost:8000");
    expect(live).toHaveAttribute("href", "http://shop.apps.localhost:8000/");
    expect(live).toHaveAttribute("target", "_blank");
    expect(within(draft).queryByTestId("project-live")).not.toBeInTheDocument();
  });

  it("creates a project through the wizard and opens its workspace", async () => {
    server.on("GET /api/projects", () => json({ items: [], total: 0, page: 1, page_size: 24 }));
    server.on("POST /api/projects", async (req) => {
      const body = (await req.json()) as { name: string; template: TemplateId };
      return json(project({ id: "new-1", name: body.name, template: body.template }), 201);
    });
    renderWithProviders(<DashboardPage />, { route: "/", path: "/" });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: /new project/i }));
    await user.click(await screen.findByRole("radio", { name: "Static" }));
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.type(screen.getByLabelText("Project name"), "Landing page");
    await user.click(screen.getByRole("button", { name: /create project/i }));
    expect(await screen.findByText("workspace page")).toBeInTheDocument();
    const created = server.requests.find((r) => r.method === "POST");
    expect(JSON.parse(created?.body ?? "{}")).toEqual({ name: "Landing page", template: "static" });
  });

  it("shows the plan-limit message when creation is refused", async () => {
    server.on("GET /api/projects", () =>
      json({ items: [project({})], total: 3, page: 1, page_size: 24 }),
    );
    server.on("POST /api/projects", () =>
      json(
        {
          error: "PlanLimitExceeded",
          detail: "The free plan allows 3 projects. Upgrade to create more.",
        },
        403,
      ),
    );
    renderWithProviders(<DashboardPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /new project/i }));
    await user.click(await screen.findByRole("radio", { name: "Static" }));
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.type(screen.getByLabelText("Project name"), "Fourth");
    await user.click(screen.getByRole("button", { name: /create project/i }));
    await waitFor(() =>
      expect(screen.getByRole("alert")).toHaveTextContent("The free plan allows 3 projects."),
    );
  });
});
