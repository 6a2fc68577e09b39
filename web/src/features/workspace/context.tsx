import { createContext, useContext } from "react";
import type { Project } from "@/api/types";
import type { WorkspaceBus } from "./bus";
import type { ConnectionState } from "./realtime";

/**
 * What the workspace shell gives its panels besides the bus: the project socket (to
 * share preview runtime errors with the server) and a way to hand a prompt to the chat
 * (the preview's "Fix with AI").
 */
export interface WorkspaceContextValue {
  project: Project;
  bus: WorkspaceBus;
  connection: ConnectionState;
  sendToServer: (type: string, data: Record<string, unknown>) => boolean;
  /** Sends `prompt` as a chat message (the chat panel registers the sender). */
  askAI: (prompt: string) => void;
  registerChatSender: (sender: ((prompt: string) => void) | null) => void;
}

export const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace outside a workspace");
  return value;
}
