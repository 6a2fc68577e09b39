import { screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { User } from "@/api/types";
import { sessionKey } from "@/features/auth/api";
import { createTestQueryClient, json, renderWithProviders } from "@/test/render";
import { OutboxPage } from "./OutboxPage";

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

const user: User = {
  id: "u1",
  email: "ada@example.com",
  name: "Ada",
  avatar_url: null,
  email_verified: false,
  subscription_tier: "free",
  theme: "system",
  editor_settings: {
    theme: "auto",
    font_size: 14,
    tab_size: 2,
    auto_save: true,
    auto_save_delay_ms: 1000,
    format_on_save: false,
    minimap: true,
    word_wrap: false,
  },
  created_at: "2025-01-01T00:00:00Z",
};

const mail = {
  id: "m1",
  to: "ada@example.com",
  subject: "Verify your appwright email address",
  text: "http://localhost:8000/verify-email?token=abc",
  created_at: "2025-01-01T00:00:00Z",
  links: ["http://localhost:8000/verify-email?token=abc"],
};

describe("OutboxPage", () => {
  beforeEach(() => server.reset());

  it("shows a signed-in person their own emails", async () => {
    server.on("GET /api/dev/outbox", () => json([mail]));
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(sessionKey, user);
    renderWithProviders(<OutboxPage />, { route: "/dev/outbox", queryClient });
    expect(await screen.findByTestId("outbox-email")).toHaveTextContent(
      "Verify your appwright email address",
    );
    expect(screen.getByRole("link", { name: /verify-email\?token=abc/ })).toHaveAttribute(
      "href",
      "/verify-email?token=abc",
    );
    expect(screen.getByText("ada@example.com", { selector: "span" })).toBeInTheDocument();
  });

  it("tells a signed-out visitor to sign in, and where the emails are on disk", async () => {
    server.on("GET /api/dev/outbox", () =>
      json({ error: "NotAuthenticated", detail: "Sign in." }, 401),
    );
    server.on("POST /api/auth/refresh", () =>
      json({ error: "NotAuthenticated", detail: "No session." }, 401),
    );
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(sessionKey, null);
    renderWithProviders(<OutboxPage />, { route: "/dev/outbox", queryClient });
    expect(await screen.findByTestId("outbox-signed-out")).toHaveTextContent(
      "Sign in to see your emails",
    );
    expect(screen.getByTestId("outbox-on-disk")).toHaveTextContent("outbox/");
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin");
    expect(screen.queryByTestId("outbox-email")).not.toBeInTheDocument();
  });

  it("says so when the server keeps no outbox", async () => {
    server.on("GET /api/dev/outbox", () => json({ error: "NotFound", detail: "No outbox." }, 404));
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(sessionKey, null);
    renderWithProviders(<OutboxPage />, { route: "/dev/outbox", queryClient });
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "only available when the server runs in development mode",
    );
  });
});
