/**
 * The workspace's in-page event bus: how the panels of one open project talk to each
 * other without importing each other. The chat publishes what the AI is writing, the
 * editor listens; the project WebSocket's server events are re-published here too.
 */

export type WorkspaceEvent =
  /** The AI started writing a file: the editor shows it read-only while it streams. */
  | { type: "ai:file-streaming"; path: string; content: string }
  /** The AI's tool call on this file finished (written, refused or failed). */
  | { type: "ai:file-done"; path: string; ok: boolean }
  /** An AI turn ended (committed or not): versions and file lists should refresh. */
  | { type: "ai:turn-done"; commit: string | null }
  /** Ask the editor to open (and focus) a file, e.g. from a chat tool-call card. */
  | { type: "editor:open"; path: string; line?: number }
  /** Show a chat message (the chat tab opens, the chat finds its thread and branch, scrolls to it and highlights it). */
  | { type: "chat:show-message"; messageId: string }
  /** The code went back to this message's version: the chat shows the conversation up to it, and what is sent next forks from it. */
  | { type: "chat:continue-from"; messageId: string }
  /** A server event from the project WebSocket (`file:updated`, `sandbox:status`…). */
  | { type: "server"; event: string; data: Record<string, unknown> };

type Listener = (event: WorkspaceEvent) => void;

export class WorkspaceBus {
  private readonly listeners = new Set<Listener>();

  publish(event: WorkspaceEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
