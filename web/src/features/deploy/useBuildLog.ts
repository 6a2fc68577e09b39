import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { errorMessage } from "@/api/errors";
import type { Deployment } from "@/api/types";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { deployKey, isBuilding } from "./api";
import { readBuildLog } from "./logStream";

interface LogState {
  deploymentId: string | null;
  text: string;
  error: string | null;
}

// Without the server's stream, a building deployment's log is read again this often.
const REREAD_MS = 3000;

/**
 * The build log of `deployment`: streamed while it builds when the server streams it,
 * else read again on the deployment's socket events (and every few seconds) until it ends.
 */
export function useBuildLog(projectId: string, deployment: Deployment | null, bus: WorkspaceBus) {
  const queryClient = useQueryClient();
  const id = deployment?.id ?? null;
  const follow = isBuilding(deployment);
  const [state, setState] = useState<LogState>({ deploymentId: null, text: "", error: null });
  const [rereads, setRereads] = useState(0);
  const [plain, setPlain] = useState(false);

  useEffect(() => {
    if (!id) return;
    const abort = new AbortController();
    readBuildLog(projectId, id, follow, abort.signal, {
      onLog: (text, append) =>
        setState((s) => ({
          deploymentId: id,
          text: append && s.deploymentId === id ? s.text + text : text,
          error: null,
        })),
      onDone: () => void queryClient.invalidateQueries({ queryKey: deployKey(projectId) }),
    })
      .then((streamed) => setPlain(follow && !streamed))
      .catch((e: unknown) => {
        if (!abort.signal.aborted)
          setState((s) => ({ ...s, deploymentId: id, error: errorMessage(e) }));
      });
    return () => abort.abort();
  }, [projectId, id, follow, rereads, queryClient]);

  useEffect(() => {
    if (!plain || !follow || !id) return;
    const again = () => setRereads((n) => n + 1);
    const timer = window.setInterval(again, REREAD_MS);
    const unsubscribe = bus.subscribe((event) => {
      if (event.type === "server" && event.data.deployment_id === id) again();
    });
    return () => {
      window.clearInterval(timer);
      unsubscribe();
    };
  }, [plain, follow, id, bus]);

  const current = state.deploymentId === id;
  return {
    text: current ? state.text : "",
    error: current ? state.error : null,
    following: follow,
  };
}
