import { api } from "@/api/client";
import { toApiError } from "@/api/errors";
import { SSEParser } from "@/features/workspace/sse";

export interface LogReader {
  /** The log's text: `append` adds to what this read gave so far, else it replaces it. */
  onLog: (text: string, append: boolean) => void;
  /** The streamed build ended (the server's `done` event). */
  onDone: () => void;
}

function logText(data: string): string {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed === "object" && parsed !== null && "text" in parsed) {
      return typeof parsed.text === "string" ? parsed.text : "";
    }
  } catch {
    // not JSON: the line as it is
  }
  return data;
}

/**
 * Reads a deployment's build log. With `follow`, asks for the server's event stream (the
 * kept log, then the build as it runs, then `done`); a server that only keeps the text
 * answers it plain. Resolves true when the log was streamed to its end, false when the
 * answer was the text so far (the caller reads it again when the build moves on).
 */
export async function readBuildLog(
  projectId: string,
  deploymentId: string,
  follow: boolean,
  signal: AbortSignal,
  reader: LogReader,
): Promise<boolean> {
  const result = await api.GET("/api/deploy/{project_id}/logs", {
    params: { path: { project_id: projectId }, query: { deployment_id: deploymentId } },
    headers: { Accept: follow ? "text/event-stream" : "text/plain" },
    parseAs: "stream",
    signal,
  });
  const { response } = result;
  if (!response.ok || !result.data) throw toApiError(result.error, response);
  const streamed = response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
  const body = result.data.getReader();
  const decoder = new TextDecoder();
  if (!streamed) {
    let text = "";
    for (let chunk = await body.read(); !chunk.done; chunk = await body.read())
      text += decoder.decode(chunk.value, { stream: true });
    reader.onLog(text + decoder.decode(), false);
    return false;
  }
  const parser = new SSEParser();
  let first = true;
  let ended = false;
  const handle = (messages: { event: string; data: string }[]) => {
    for (const message of messages) {
      if (message.event === "log") {
        reader.onLog(logText(message.data), !first);
        first = false;
      } else if (message.event === "done") {
        ended = true;
        reader.onDone();
      }
    }
  };
  for (let chunk = await body.read(); !chunk.done; chunk = await body.read())
    handle(parser.feed(decoder.decode(chunk.value, { stream: true })));
  handle([...parser.feed(decoder.decode()), ...parser.end()]);
  return ended;
}
