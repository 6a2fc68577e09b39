import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Panel, PanelGroup, PanelResizeHandle } from "react-resizable-panels";
import { Link, useParams } from "react-router";
import { ApiError, errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import { FullPageMessage, FullPageSpinner } from "@/components/layout/FullPageStatus";
import { VerifyEmailBanner } from "@/components/layout/VerifyEmailBanner";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ChatPanel } from "@/features/chat";
import { DeploymentsPanel } from "@/features/deploy";
import { EditorPanel } from "@/features/editor";
import { PreviewPanel } from "@/features/preview";
import { useProject } from "@/features/projects/api";
import { VersionsPanel } from "@/features/versions";
import { useMediaQuery } from "@/lib/hooks";
import { WorkspaceBus } from "./bus";
import { WorkspaceContext, type WorkspaceContextValue } from "./context";
import { EnvVarsDialog } from "./EnvVarsDialog";
import { useProjectRealtime } from "./useRealtime";
import { WorkspaceHeader } from "./WorkspaceHeader";

// xterm.js is heavy and only needed in advanced mode.
const TerminalPanel = lazy(() =>
  import("@/features/terminal").then((m) => ({ default: m.TerminalPanel })),
);

const ADVANCED_KEY = "appwright-workspace-advanced";
type LeftTab = "chat" | "versions" | "deployments";
type MobileTab = LeftTab | "editor" | "preview";
const leftTabs: readonly string[] = ["chat", "versions", "deployments"] satisfies LeftTab[];

function ResizeHandle({ vertical = false }: { vertical?: boolean }) {
  return (
    <PanelResizeHandle
      className={
        vertical
          ? "h-px bg-border transition-colors hover:bg-primary/50 data-[resize-handle-state=drag]:bg-primary"
          : "relative w-px bg-border transition-colors after:absolute after:inset-y-0 after:-left-1 after:w-2 hover:bg-primary/50 data-[resize-handle-state=drag]:bg-primary"
      }
    />
  );
}

/** Chat, Versions and Deployments share the left column; the chat stays mounted so a stream survives a tab switch. */
function LeftColumn({
  project,
  bus,
  tab,
  onTab,
}: {
  project: Project;
  bus: WorkspaceBus;
  tab: LeftTab;
  onTab: (tab: LeftTab) => void;
}) {
  return (
    <Tabs
      value={tab}
      onValueChange={(v) => onTab(leftTabs.includes(v) ? (v as LeftTab) : "chat")}
      className="flex h-full min-h-0 flex-col gap-0"
    >
      <TabsList className="m-1.5 mb-0 w-[calc(100%-0.75rem)]">
        <TabsTrigger value="chat">Chat</TabsTrigger>
        <TabsTrigger value="versions">Versions</TabsTrigger>
        <TabsTrigger value="deployments">Deployments</TabsTrigger>
      </TabsList>
      <TabsContent value="chat" forceMount className="min-h-0 flex-1 data-[state=inactive]:hidden">
        <ChatPanel />
      </TabsContent>
      <TabsContent value="versions" className="min-h-0 flex-1">
        <VersionsPanel project={project} bus={bus} />
      </TabsContent>
      <TabsContent value="deployments" className="min-h-0 flex-1">
        <DeploymentsPanel project={project} bus={bus} />
      </TabsContent>
    </Tabs>
  );
}

/**
 * The editor above the terminal (advanced mode). The editor keeps its place in the tree
 * whatever the mode, so toggling the terminal never remounts it (open tabs and unsaved
 * edits live in its state).
 */
export function CenterColumn({
  project,
  bus,
  advanced,
}: {
  project: Project;
  bus: WorkspaceBus;
  advanced: boolean;
}) {
  return (
    <PanelGroup direction="vertical" autoSaveId="appwright-workspace-center">
      <Panel id="editor-main" order={1} defaultSize={advanced ? 65 : 100} minSize={20}>
        <EditorPanel project={project} bus={bus} />
      </Panel>
      {advanced && (
        <>
          <ResizeHandle vertical />
          <Panel id="terminal" order={2} defaultSize={35} minSize={12}>
            <Suspense
              fallback={<p className="p-3 text-sm text-muted-foreground">Loading the terminal…</p>}
            >
              <TerminalPanel projectId={project.id} />
            </Suspense>
          </Panel>
        </>
      )}
    </PanelGroup>
  );
}

function Workspace({ project }: { project: Project }) {
  const [bus] = useState(() => new WorkspaceBus());
  const { connection, send } = useProjectRealtime(project.id, bus);
  const [envOpen, setEnvOpen] = useState(false);
  const [advanced, setAdvanced] = useState(() => localStorage.getItem(ADVANCED_KEY) === "1");
  const [leftTab, setLeftTab] = useState<LeftTab>("chat");
  const [mobileTab, setMobileTab] = useState<MobileTab>("chat");
  const desktop = useMediaQuery("(min-width: 768px)");
  const chatSender = useRef<((prompt: string) => void) | null>(null);

  const registerChatSender = useCallback((sender: ((prompt: string) => void) | null) => {
    chatSender.current = sender;
  }, []);
  const askAI = useCallback((prompt: string) => {
    setLeftTab("chat");
    setMobileTab("chat");
    chatSender.current?.(prompt);
  }, []);
  // Showing a chat message from another panel (a version's link) brings the chat forward.
  useEffect(
    () =>
      bus.subscribe((event) => {
        if (event.type === "chat:show-message" || event.type === "chat:continue-from") {
          setLeftTab("chat");
          setMobileTab("chat");
        }
      }),
    [bus],
  );
  const showDeployments = useCallback(() => {
    setLeftTab("deployments");
    setMobileTab("deployments");
  }, []);
  const toggleAdvanced = () => {
    setAdvanced((on) => {
      localStorage.setItem(ADVANCED_KEY, on ? "0" : "1");
      return !on;
    });
  };

  const value = useMemo<WorkspaceContextValue>(
    () => ({ project, bus, connection, sendToServer: send, askAI, registerChatSender }),
    [project, bus, connection, send, askAI, registerChatSender],
  );

  return (
    <WorkspaceContext.Provider value={value}>
      <div className="flex h-full flex-col">
        <WorkspaceHeader
          project={project}
          bus={bus}
          connection={connection}
          advanced={advanced}
          onToggleAdvanced={toggleAdvanced}
          onOpenEnv={() => setEnvOpen(true)}
          onShowDeployments={showDeployments}
        />
        <VerifyEmailBanner />
        {desktop ? (
          <PanelGroup direction="horizontal" autoSaveId="appwright-workspace" className="flex-1">
            <Panel id="chat" order={1} defaultSize={28} minSize={18}>
              <LeftColumn project={project} bus={bus} tab={leftTab} onTab={setLeftTab} />
            </Panel>
            <ResizeHandle />
            <Panel id="editor" order={2} defaultSize={38} minSize={20}>
              <CenterColumn project={project} bus={bus} advanced={advanced} />
            </Panel>
            <ResizeHandle />
            <Panel id="preview" order={3} defaultSize={34} minSize={18}>
              <PreviewPanel />
            </Panel>
          </PanelGroup>
        ) : (
          // On narrow screens the panels become tabs (the chat stays mounted).
          <Tabs
            value={mobileTab}
            onValueChange={(v) => setMobileTab(v as MobileTab)}
            className="flex min-h-0 flex-1 flex-col"
          >
            <TabsList className="m-2 w-[calc(100%-1rem)]">
              <TabsTrigger value="chat">Chat</TabsTrigger>
              <TabsTrigger value="versions">Versions</TabsTrigger>
              <TabsTrigger value="deployments">Deploy</TabsTrigger>
              <TabsTrigger value="editor">Code</TabsTrigger>
              <TabsTrigger value="preview">Preview</TabsTrigger>
            </TabsList>
            <TabsContent
              value="chat"
              forceMount
              className="min-h-0 flex-1 data-[state=inactive]:hidden"
            >
              <ChatPanel />
            </TabsContent>
            <TabsContent value="versions" className="min-h-0 flex-1">
              <VersionsPanel project={project} bus={bus} />
            </TabsContent>
            <TabsContent value="deployments" className="min-h-0 flex-1">
              <DeploymentsPanel project={project} bus={bus} />
            </TabsContent>
            <TabsContent value="editor" className="min-h-0 flex-1">
              <CenterColumn project={project} bus={bus} advanced={advanced} />
            </TabsContent>
            <TabsContent
              value="preview"
              forceMount
              className="min-h-0 flex-1 data-[state=inactive]:hidden"
            >
              <PreviewPanel />
            </TabsContent>
          </Tabs>
        )}
        <EnvVarsDialog projectId={project.id} open={envOpen} onOpenChange={setEnvOpen} />
      </div>
    </WorkspaceContext.Provider>
  );
}

export function WorkspacePage() {
  const { id = "" } = useParams();
  const project = useProject(id);

  if (project.isPending) return <FullPageSpinner label="Opening project…" />;
  if (project.isError) {
    const missing = project.error instanceof ApiError && project.error.status === 404;
    return (
      <FullPageMessage title={missing ? "Project not found" : "Could not open the project"}>
        <p className="text-sm text-muted-foreground">
          {missing
            ? "It may have been deleted, or it belongs to another account."
            : errorMessage(project.error)}
        </p>
        <Button asChild>
          <Link to="/">Back to projects</Link>
        </Button>
      </FullPageMessage>
    );
  }
  // Keyed by project: a different project gets a fresh bus, socket and panels.
  return <Workspace key={project.data.id} project={project.data} />;
}
