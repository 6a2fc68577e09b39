import { useEffect } from "react";
import { toast } from "sonner";
import type { WorkspaceBus } from "@/features/workspace/bus";

/** Tells the person how a publish ended: a link to the live app, or where to see why not. */
export function usePublishNotice(bus: WorkspaceBus, onShowDeployments: () => void) {
  useEffect(
    () =>
      bus.subscribe((event) => {
        if (event.type !== "server" || event.event !== "deployment:status") return;
        const { status, url, error } = event.data;
        if (status === "ready" && typeof url === "string") {
          toast.success("Your app is live", {
            id: "publish-result",
            duration: 15_000,
            description: (
              <a
                href={url}
                target="_blank"
                rel="noreferrer"
                className="font-mono break-all underline underline-offset-2"
                data-testid="publish-toast-link"
              >
                {url}
              </a>
            ),
          });
        } else if (status === "error") {
          toast.error("Publishing failed", {
            id: "publish-result",
            duration: 15_000,
            description: typeof error === "string" ? error : undefined,
            action: { label: "See the log", onClick: onShowDeployments },
          });
        }
      }),
    [bus, onShowDeployments],
  );
}
