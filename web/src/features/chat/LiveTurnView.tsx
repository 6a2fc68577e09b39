import { Settings2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { LiveAssistant } from "./LiveAssistant";
import { UserBubble } from "./UserBubble";
import type { ChatTurns } from "./useChatTurns";

export interface LiveTurnViewProps {
  turns: ChatTurns;
  onOpenFile: (path: string) => void;
  onConnectModel: () => void;
}

/**
 * The turn being written (or the one that failed, until dismissed), then the last reply's
 * follow-up suggestions.
 */
export function LiveTurnView({ turns, onOpenFile, onConnectModel }: LiveTurnViewProps) {
  const { live, streaming: busy, dismiss } = turns.stream;
  return (
    <>
      {live && (
        <>
          {live.prompt !== null && (
            <UserBubble content={live.prompt} attachments={live.attachments} busy />
          )}
          <LiveAssistant turn={live.state} onOpenFile={onOpenFile} />
          {live.state.error?.code === "no_model" && (
            <Button size="sm" variant="outline" onClick={onConnectModel}>
              <Settings2 /> Connect a model
            </Button>
          )}
          {!busy && (
            <Button size="sm" variant="ghost" onClick={dismiss}>
              Dismiss
            </Button>
          )}
        </>
      )}
      {!busy && turns.suggestions.length > 0 && (
        <div className="flex flex-wrap gap-1.5" aria-label="Suggestions" role="group">
          {turns.suggestions.map((s) => (
            <Button
              key={s}
              size="sm"
              variant="outline"
              className="h-auto rounded-full px-3 py-1 text-left text-xs whitespace-normal"
              onClick={() => void turns.send(s, [])}
            >
              {s}
            </Button>
          ))}
        </div>
      )}
    </>
  );
}
