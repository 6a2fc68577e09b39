import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { User } from "@/api/types";
import { sessionKey } from "@/features/auth/api";
import { createTestQueryClient, json, renderWithProviders } from "@/test/render";
import { AppearanceTab } from "./AppearanceTab";
import { THEME_STORAGE_KEY } from "./theme";
import { ThemeProvider } from "./ThemeProvider";

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
  email_verified: true,
  subscription_tier: "free",
  theme: "dark",
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

function renderAppearance() {
  const queryClient = createTestQueryClient();
  queryClient.setQueryData(sessionKey, user);
  renderWithProviders(
    <ThemeProvider>
      <AppearanceTab />
    </ThemeProvider>,
    { queryClient },
  );
  return queryClient;
}

const isDark = () => document.documentElement.classList.contains("dark");

describe("ThemeProvider", () => {
  beforeEach(() => {
    server.reset();
    localStorage.clear();
    document.documentElement.classList.remove("dark");
  });

  it("applies the account's theme, switches at once and saves the choice", async () => {
    server.on("PATCH /api/users/me", async (req) =>
      json({ ...user, ...((await req.json()) as object) }),
    );
    const queryClient = renderAppearance();
    await waitFor(() => expect(isDark()).toBe(true));
    expect(screen.getByRole("radio", { name: "Dark" })).toBeChecked();

    await userEvent.setup().click(screen.getByRole("radio", { name: "Light" }));
    expect(isDark()).toBe(false);
    await waitFor(() => expect(queryClient.getQueryData<User>(sessionKey)?.theme).toBe("light"));
    const patch = server.requests.find((r) => r.method === "PATCH");
    expect(JSON.parse(patch?.body ?? "{}")).toEqual({ theme: "light" });
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe("light");
  });

  it("rolls back when the server refuses", async () => {
    server.on("PATCH /api/users/me", () => json({ error: "ServerError", detail: "boom" }, 500));
    renderAppearance();
    await waitFor(() => expect(isDark()).toBe(true));
    await userEvent.setup().click(screen.getByRole("radio", { name: "Light" }));
    await waitFor(() => expect(screen.getByRole("radio", { name: "Dark" })).toBeChecked());
    expect(isDark()).toBe(true);
  });
});
