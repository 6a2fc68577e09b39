import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { json, renderWithProviders } from "@/test/render";
import { DeleteProjectDialog } from "./DeleteProjectDialog";

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

const project = { id: "p-1", name: "My App" };

describe("DeleteProjectDialog", () => {
  beforeEach(() => server.reset());

  it("enables delete only when the exact name is typed, then sends it as confirmation", async () => {
    server.on("DELETE /api/projects/p-1", () => new Response(null, { status: 204 }));
    const onDeleted = vi.fn();
    const onOpenChange = vi.fn();
    renderWithProviders(
      <DeleteProjectDialog project={project} onOpenChange={onOpenChange} onDeleted={onDeleted} />,
    );
    const user = userEvent.setup();

    const input = screen.getByLabelText(/to confirm/i);
    const button = screen.getByRole("button", { name: "Delete project" });
    expect(button).toBeDisabled();

    await user.type(input, "my app");
    expect(button).toBeDisabled();
    await user.clear(input);
    await user.type(input, "My App ");
    expect(button).toBeDisabled();
    await user.type(input, "{Backspace}");
    expect(button).toBeEnabled();

    await user.click(button);
    await waitFor(() => expect(onDeleted).toHaveBeenCalledWith(project));
    expect(onOpenChange).toHaveBeenCalledWith(false);
    const sent = server.requests.find((r) => r.method === "DELETE");
    expect(sent?.url.searchParams.get("confirm_name")).toBe("My App");
  });

  it("shows the server's message when the delete is refused", async () => {
    server.on("DELETE /api/projects/p-1", () =>
      json(
        { error: "ConfirmationMismatch", detail: "Type the project's exact name to delete it." },
        400,
      ),
    );
    const onDeleted = vi.fn();
    renderWithProviders(
      <DeleteProjectDialog project={project} onOpenChange={vi.fn()} onDeleted={onDeleted} />,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/to confirm/i), "My App");
    await user.click(screen.getByRole("button", { name: "Delete project" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Type the project's exact name to delete it.",
    );
    expect(onDeleted).not.toHaveBeenCalled();
  });
});
