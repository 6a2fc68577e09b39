import { screen } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { User } from "@/api/types";
import { createTestQueryClient, json, renderWithProviders } from "@/test/render";
import { sessionKey } from "./api";
import { VerifyEmailPage } from "./VerifyEmailPage";

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
  email: "a@example.com",
  name: "A",
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

describe("VerifyEmailPage", () => {
  beforeEach(() => server.reset());

  it("posts the single-use token once, even under StrictMode, and marks the user verified", async () => {
    server.on("POST /api/auth/verify-email", () =>
      json({ user: { ...user, email_verified: true } }),
    );
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(sessionKey, user);
    renderWithProviders(
      <StrictMode>
        <VerifyEmailPage />
      </StrictMode>,
      { route: "/verify-email?token=abc", queryClient },
    );
    expect(await screen.findByRole("heading", { name: "Email verified" })).toBeInTheDocument();
    const posts = server.requests.filter((r) => r.url.pathname === "/api/auth/verify-email");
    expect(posts.map((r) => JSON.parse(r.body) as unknown)).toEqual([{ token: "abc" }]);
    expect(queryClient.getQueryData<User>(sessionKey)?.email_verified).toBe(true);
  });

  it("shows why verification failed", async () => {
    server.on("POST /api/auth/verify-email", () =>
      json({ error: "InvalidToken", detail: "This link has expired. Send a new one." }, 400),
    );
    renderWithProviders(<VerifyEmailPage />, { route: "/verify-email?token=old" });
    expect(await screen.findByRole("heading", { name: "Verification failed" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("This link has expired. Send a new one.");
  });
});
