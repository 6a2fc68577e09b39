import { useState } from "react";
import { Panel, PanelGroup, PanelResizeHandle } from "react-resizable-panels";
import { Link, useParams } from "react-router";
import { ApiError, errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import { FullPageMessage, FullPageSpinner } from "@/components/layout/FullPageStatus";
import { VerifyEmailBanner } from "@/components/layout/VerifyEmailBanner";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useProject } from "@/features/projects/api";
import { useMediaQuery } from "@/lib/hooks";
import { EnvVarsDialog } from "./EnvVarsDialog";
import { ChatPanel, EditorPanel, PreviewPanel } from "./panels";
import { WorkspaceHeader } from "./WorkspaceHeader";

function ResizeHandle() {
  return (
    <PanelResizeHandle className="relative w-px bg-border transition-colors after:absolute after:inset-y-0 after:-left-1 after:w-2 hover:bg-primary/50 data-[resize-handle-state=drag]:bg-primary" />
  );
}

function DesktopPanels({ project }: { project: Project }) {
  return (
    <PanelGroup direction="horizontal" autoSaveId="appwright-workspace" className="flex-1">
      <Panel id="chat" order={1} defaultSize={28} minSize={18}>
        <ChatPanel project={project} />
      </Panel>
      <ResizeHandle />
      <Panel id="editor" order={2} defaultSize={38} minSize={20}>
        <EditorPanel />
      </Panel>
      <ResizeHandle />
      <Panel id="preview" order={3} defaultSize={34} minSize={18}>
        <PreviewPanel />
      </Panel>
    </PanelGroup>
  );
}

/** On narrow screens the three panels become tabs. */
function MobilePanels({ project }: { project: Project }) {
  return (
    <Tabs defaultValue="chat" className="flex min-h-0 flex-1 flex-col">
      <TabsList className="m-2 w-[calc(100%-1rem)]">
        <TabsTrigger value="chat">Chat</TabsTrigger>
        <TabsTrigger value="editor">Code</TabsTrigger>
        <TabsTrigger value="preview">Preview</TabsTrigger>
      </TabsList>
      <TabsContent value="chat" className="min-h-0">
        <ChatPanel project={project} />
      </TabsContent>
      <TabsContent value="editor" className="min-h-0">
        <EditorPanel />
      </TabsContent>
      <TabsContent value="preview" className="min-h-0">
        <PreviewPanel />
      </TabsContent>
    </Tabs>
  );
}

export function WorkspacePage() {
  const { id = "" } = useParams();
  const project = useProject(id);
  const [envOpen, setEnvOpen] = useState(false);
  const desktop = useMediaQuery("(min-width: 768px)");

  if (project.isPending) return <FullPageSpinner label="Opening project…" />;
  if (project.isError) {
    const missing = project.error instanceof ApiError && project.error.status === 404;
    return (
      <FullPageMessage title={missing ? "Project not found" : "Could not open the project"}>
        <p className="text-sm text-muted-foreground">
          {missing ? "It may have been deleted, or it belongs to another account." : errorMessage(project.error)}
        </p>
        <Button asChild>
          <Link to="/">Back to projects</Link>
        </Button>
      </FullPageMessage>
    );
  }

  return (
    <div className="flex h-full flex-col">
      <WorkspaceHeader project={project.data} onOpenEnv={() => setEnvOpen(true)} />
      <VerifyEmailBanner />
      {desktop ? <DesktopPanels project={project.data} /> : <MobilePanels project={project.data} />}
      <EnvVarsDialog projectId={project.data.id} open={envOpen} onOpenChange={setEnvOpen} />
    </div>
  );
}
