import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { describe, expect, it } from "vitest";
import type { User } from "@/api/types";
import { createTestQueryClient } from "@/test/render";
import { sessionKey } from "./api";
import { GuestOnly, RequireAuth } from "./guards";
import { safeRedirect } from "./redirect";

const user: User = {
  id: "u1",
  email: "a@example.com",
  name: "A",
  avatar_url: null,
  email_verified: true,
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

function Where() {
  const location = useLocation();
  return <p>at {location.pathname}</p>;
}

function renderAt(path: string, sessionUser: User | null) {
  const queryClient = createTestQueryClient();
  queryClient.setQueryData(sessionKey, sessionUser);
  render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route
            path="/signin"
            element={
              <GuestOnly>
                <Where />
              </GuestOnly>
            }
          />
          <Route
            path="/settings"
            element={
              <RequireAuth>
                <p>secret settings</p>
              </RequireAuth>
            }
          />
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("route guards", () => {
  it("sends a signed-out visitor to sign in", () => {
    renderAt("/settings", null);
    expect(screen.getByText("at /signin")).toBeInTheDocument();
    expect(screen.queryByText("secret settings")).not.toBeInTheDocument();
  });

  it("lets a signed-in user through", () => {
    renderAt("/settings", user);
    expect(screen.getByText("secret settings")).toBeInTheDocument();
  });

  it("sends a signed-in user away from sign in", () => {
    renderAt("/signin", user);
    expect(screen.getByText("at /")).toBeInTheDocument();
  });
});

describe("safeRedirect", () => {
  it("follows in-app paths only", () => {
    expect(safeRedirect("/projects/1?x=2")).toBe("/projects/1?x=2");
    expect(safeRedirect("//evil.example/phish")).toBe("/");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
  });
});
