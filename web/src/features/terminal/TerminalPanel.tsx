import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { Play, Square, SquareTerminal, Trash2 } from "lucide-react";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { streamSSE } from "@/features/workspace/sse";
import { cn } from "@/lib/utils";

const RED = "\x1b[31m";
const DIM = "\x1b[2m";
const GREEN = "\x1b[32m";
const RESET = "\x1b[0m";

/** xterm wants CRLF; commands print LF. */
const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * One-shot commands in the project's sandbox (`POST /api/sandbox/{id}/execute`), output
 * streamed into an xterm.js view. Not an interactive shell: each line runs on its own,
 * with its exit code shown and a Stop button that kills it.
 */
export function TerminalPanel({ projectId, className }: { projectId: string; className?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const abort = useRef<AbortController | null>(null);
  const [command, setCommand] = useState("");
  const [running, setRunning] = useState(false);
  const [lastExit, setLastExit] = useState<string>("");
  const history = useRef<string[]>([]);
  const historyIndex = useRef(-1);

  useEffect(() => {
    if (!host.current) return;
    const dark = document.documentElement.classList.contains("dark");
    const terminal = new Terminal({
      convertEol: false,
      disableStdin: true,
      fontSize: 12,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace",
      scrollback: 5000,
      theme: dark
        ? { background: "#0a0a0a", foreground: "#e5e5e5" }
        : {
            background: "#fafafa",
            foreground: "#171717",
            cursor: "#171717",
            selectionBackground: "#bfdbfe",
          },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(host.current);
    terminal.writeln(`${DIM}Commands run in the project's sandbox, in the project folder.${RESET}`);
    term.current = terminal;
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // Not laid out yet.
      }
    });
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      abort.current?.abort();
      terminal.dispose();
      term.current = null;
    };
  }, []);

  const run = async (event: FormEvent) => {
    event.preventDefault();
    const line = command.trim();
    if (!line || running) return;
    history.current = [...history.current.filter((h) => h !== line), line].slice(-50);
    historyIndex.current = -1;
    setCommand("");
    setRunning(true);
    setLastExit("");
    const out = term.current;
    out?.writeln(`${GREEN}$${RESET} ${line}`);
    const controller = new AbortController();
    abort.current = controller;
    try {
      await streamSSE(
        `/api/sandbox/${encodeURIComponent(projectId)}/execute`,
        { command: line, timeout: 600 },
        {
          signal: controller.signal,
          onEvent: (name, data) => {
            const payload = record(data);
            if (name === "stdout" || name === "stderr") {
              const text = typeof payload.data === "string" ? payload.data : "";
              out?.write(name === "stderr" ? `${RED}${crlf(text)}${RESET}` : crlf(text));
            } else if (name === "exit") {
              const code = typeof payload.exit_code === "number" ? payload.exit_code : null;
              const timedOut = payload.timed_out === true;
              const summary = timedOut ? "timed out (killed)" : `exit code ${code ?? "?"}`;
              out?.writeln(`${code === 0 ? DIM : RED}[${summary}]${RESET}`);
              setLastExit(summary);
            } else if (name === "error") {
              const detail =
                typeof payload.detail === "string" ? payload.detail : "The command could not run.";
              out?.writeln(`${RED}${detail}${RESET}`);
              setLastExit(detail);
            }
          },
        },
      );
    } catch (error) {
      if (controller.signal.aborted) {
        out?.writeln(`${RED}[stopped]${RESET}`);
        setLastExit("stopped");
      } else {
        out?.writeln(`${RED}${errorMessage(error)}${RESET}`);
        setLastExit(errorMessage(error));
      }
    } finally {
      abort.current = null;
      setRunning(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const items = history.current;
    if (items.length === 0 || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    let index = historyIndex.current === -1 ? items.length : historyIndex.current;
    index = event.key === "ArrowUp" ? Math.max(0, index - 1) : Math.min(items.length, index + 1);
    historyIndex.current = index >= items.length ? -1 : index;
    setCommand(index >= items.length ? "" : (items[index] ?? ""));
  };

  return (
    <section
      aria-label="Terminal"
      data-testid="terminal-panel"
      className={cn("flex h-full min-h-0 flex-col bg-background", className)}
    >
      <div className="flex h-9 shrink-0 items-center gap-2 border-b px-3 text-sm font-medium">
        <SquareTerminal className="size-4 text-muted-foreground" aria-hidden />
        <h2>Terminal</h2>
        <span role="status" className="ml-2 text-xs font-normal text-muted-foreground">
          {running ? "Running…" : lastExit}
        </span>
        <Button
          variant="ghost"
          size="icon-sm"
          className="ml-auto"
          aria-label="Clear terminal"
          onClick={() => term.current?.clear()}
        >
          <Trash2 />
        </Button>
      </div>
      <div ref={host} className="min-h-0 flex-1 overflow-hidden px-2 py-1" />
      <form onSubmit={(e) => void run(e)} className="flex items-center gap-2 border-t p-2">
        <span className="font-mono text-sm text-muted-foreground" aria-hidden>
          $
        </span>
        <Input
          aria-label="Command"
          value={command}
          onChange={(e) => setCommand(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="npm run lint"
          className="h-8 font-mono text-sm"
          autoComplete="off"
          spellCheck={false}
        />
        {running ? (
          <Button
            type="button"
            size="sm"
            variant="destructive"
            onClick={() => abort.current?.abort()}
          >
            <Square /> Stop
          </Button>
        ) : (
          <Button type="submit" size="sm" disabled={!command.trim()}>
            <Play /> Run
          </Button>
        )}
      </form>
    </section>
  );
}
