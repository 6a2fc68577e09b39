import { render, screen } from "@testing-library/react";
import { useEffect } from "react";
import { describe, expect, it, vi } from "vitest";
import type { Project } from "@/api/types";
import { WorkspaceBus } from "./bus";
import { CenterColumn } from "./WorkspacePage";

const mounts = vi.hoisted(() => ({ count: 0 }));

vi.mock("@/features/editor", () => ({
  EditorPanel: () => {
    useEffect(() => {
      mounts.count += 1;
    }, []);
    return <p>editor</p>;
  },
}));

vi.mock("@/features/terminal", () => ({ TerminalPanel: () => <p>terminal</p> }));

const project = { id: "p-1", name: "App" } as Project;

describe("CenterColumn", () => {
  it("keeps the editor mounted when advanced mode is toggled (its tabs survive)", async () => {
    const bus = new WorkspaceBus();
    const { rerender } = render(<CenterColumn project={project} bus={bus} advanced={false} />);
    expect(screen.getByText("editor")).toBeInTheDocument();
    rerender(<CenterColumn project={project} bus={bus} advanced />);
    expect(await screen.findByText("terminal")).toBeInTheDocument();
    rerender(<CenterColumn project={project} bus={bus} advanced={false} />);
    expect(screen.queryByText("terminal")).not.toBeInTheDocument();
    expect(mounts.count).toBe(1);
  });
});
