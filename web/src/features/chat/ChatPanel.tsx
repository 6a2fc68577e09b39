import { useState } from "react";
import { useWorkspace } from "@/features/workspace/context";
import { cn } from "@/lib/utils";
import { catalogue, useLLMSettings } from "./api";
import { ChatHeader } from "./ChatHeader";
import { Composer } from "./Composer";
import { Conversation } from "./Conversation";
import { LLMSettingsDialog } from "./LLMSettingsDialog";
import { useChatSender } from "./useChatSender";
import { useChatTurns } from "./useChatTurns";
import { useShowMessage } from "./useShowMessage";
import { useThread } from "./useThread";

export function ChatPanel({ className }: { className?: string }) {
  const { project, bus, registerChatSender } = useWorkspace();
  const llm = useLLMSettings();
  const chat = useThread(project.id);
  const turns = useChatTurns(chat, bus);
  const { stream, clearSuggestions } = turns;
  const busy = stream.streaming;
  useChatSender(registerChatSender, {
    send: turns.send,
    streaming: busy,
    setDraft: turns.setDraft,
  });
  const shown = useShowMessage(bus, chat, {
    messages: turns.messages,
    streaming: busy,
    onThreadShown: clearSuggestions,
  });
  const [settingsOpen, setSettingsOpen] = useState(false);

  return (
    <section
      data-testid="chat-panel"
      aria-label="Chat"
      className={cn("flex h-full min-h-0 flex-col bg-background", className)}
    >
      <ChatHeader
        chat={chat}
        busy={busy}
        onSelect={(id) => {
          chat.open(id);
          clearSuggestions();
        }}
        onNew={() =>
          void chat.create().then((id) => {
            if (id) clearSuggestions();
          })
        }
      />
      <Conversation
        projectName={project.name}
        chat={chat}
        turns={turns}
        flash={shown.flash}
        onFlashEnd={shown.endFlash}
        onOpenFile={(path) => bus.publish({ type: "editor:open", path })}
        onConnectModel={() => setSettingsOpen(true)}
      />
      <Composer
        streaming={busy}
        stopping={stream.stopping}
        disabled={chat.creating}
        models={catalogue(llm.data)}
        model={turns.model}
        onModelChange={turns.setModel}
        onSend={(content, attachments) => void turns.send(content, attachments)}
        onStop={stream.stop}
        onOpenSettings={() => setSettingsOpen(true)}
        draft={turns.draft}
        onDraftChange={turns.setDraft}
      />
      <LLMSettingsDialog open={settingsOpen} onOpenChange={setSettingsOpen} />
    </section>
  );
}
