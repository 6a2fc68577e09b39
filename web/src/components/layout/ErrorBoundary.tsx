import { Component, type ErrorInfo, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { FullPageMessage } from "./FullPageStatus";

interface State {
  error: Error | null;
}

/** Last line of defence: a render error shows a way out instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("UI crashed", error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <FullPageMessage title="Something went wrong">
        <p className="max-w-md text-sm text-muted-foreground">
          The page hit an unexpected error. Reloading usually fixes it; your work is saved on the
          server.
        </p>
        <Button onClick={() => window.location.reload()}>Reload</Button>
      </FullPageMessage>
    );
  }
}
