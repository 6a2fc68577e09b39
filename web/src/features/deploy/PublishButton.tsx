import { Loader2, Rocket } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import type { Project } from "@/api/types";
import { Button } from "@/components/ui/button";
import { SimpleTooltip } from "@/components/ui/tooltip";
import type { WorkspaceBus } from "@/features/workspace/bus";
import { isBuilding, useDeployStatus, usePublish } from "./api";
import { PublishDialog } from "./PublishDialog";
import { usePublishNotice } from "./usePublishNotice";

/**
 * Publish in the workspace header: the first time it asks for the address; later it
 * publishes the current version at the kept one. While a build runs it shows progress
 * and opens the Deployments panel.
 */
export function PublishButton({
  project,
  bus,
  onShowDeployments,
}: {
  project: Project;
  bus: WorkspaceBus;
  onShowDeployments: () => void;
}) {
  const status = useDeployStatus(project.id);
  const publish = usePublish(project.id);
  const [dialogOpen, setDialogOpen] = useState(false);
  usePublishNotice(bus, onShowDeployments);
  const building = publish.isPending || isBuilding(status.data?.latest);
  const slug = status.data?.slug ?? null;

  const publishNow = () =>
    publish.mutate(
      {},
      {
        onSuccess: onShowDeployments,
        onError: (e) => toast.error(`Could not publish: ${errorMessage(e)}`),
      },
    );
  const onClick = () => {
    if (building) onShowDeployments();
    else if (slug) publishNow();
    else {
      publish.reset();
      setDialogOpen(true);
    }
  };
  const label = building ? "Publishing…" : "Publish";
  const hint = building
    ? "Building the app: see its log in Deployments"
    : slug
      ? `Publish the current version at ${status.data?.url ?? slug}`
      : "Publish the app at a public address";

  return (
    <>
      <SimpleTooltip label={hint}>
        <Button
          size="sm"
          aria-label={label}
          data-testid="workspace-publish"
          data-state={building ? "building" : "idle"}
          disabled={status.isPending}
          onClick={onClick}
        >
          {building ? <Loader2 className="animate-spin" /> : <Rocket />}
          <span className="hidden sm:inline">{label}</span>
        </Button>
      </SimpleTooltip>
      <PublishDialog
        project={project}
        slug={slug}
        knownUrl={status.data?.url ?? null}
        open={dialogOpen}
        onOpenChange={setDialogOpen}
        pending={publish.isPending}
        error={publish.error}
        onPublish={(chosen) =>
          publish.mutate(
            { slug: chosen },
            {
              onSuccess: () => {
                setDialogOpen(false);
                onShowDeployments();
              },
            },
          )
        }
      />
    </>
  );
}
