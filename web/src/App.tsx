import { QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { BrowserRouter, Link, Route, Routes } from "react-router";
import { errorMessage } from "@/api/errors";
import { onSessionExpired } from "@/api/client";
import { AppShell } from "@/components/layout/AppShell";
import { FullPageMessage, FullPageSpinner } from "@/components/layout/FullPageStatus";
import { SessionShell } from "@/components/layout/SessionShell";
import { Button } from "@/components/ui/button";
import { Toaster } from "@/components/ui/sonner";
import { TooltipProvider } from "@/components/ui/tooltip";
import { sessionKey, useSession } from "@/features/auth/api";
import { ForgotPasswordPage } from "@/features/auth/ForgotPasswordPage";
import { GuestOnly, RequireAuth } from "@/features/auth/guards";
import { ResetPasswordPage } from "@/features/auth/ResetPasswordPage";
import { SignInPage } from "@/features/auth/SignInPage";
import { SignUpPage } from "@/features/auth/SignUpPage";
import { VerifyEmailPage } from "@/features/auth/VerifyEmailPage";
import { DashboardPage } from "@/features/projects/DashboardPage";
import { ThemeProvider } from "@/features/settings/ThemeProvider";
import { createQueryClient } from "@/lib/queryClient";
import { ErrorBoundary } from "@/components/layout/ErrorBoundary";

// Pages past the first screen load on demand (the workspace will carry the editor).
const WorkspacePage = lazy(() =>
  import("@/features/workspace/WorkspacePage").then((m) => ({ default: m.WorkspacePage })),
);
const SettingsPage = lazy(() =>
  import("@/features/settings/SettingsPage").then((m) => ({ default: m.SettingsPage })),
);
const OutboxPage = lazy(() =>
  import("@/features/dev/OutboxPage").then((m) => ({ default: m.OutboxPage })),
);

/** Nothing renders until the session is known: that call also sets the CSRF cookie. */
function SessionGate({ children }: { children: ReactNode }) {
  const session = useSession();
  const queryClient = useQueryClient();
  useEffect(
    () => onSessionExpired(() => queryClient.setQueryData(sessionKey, null)),
    [queryClient],
  );
  if (session.isPending) return <FullPageSpinner />;
  if (session.isError) {
    return (
      <FullPageMessage title="Cannot reach appwright">
        <p className="text-sm text-muted-foreground">{errorMessage(session.error)}</p>
        <Button onClick={() => void session.refetch()}>Try again</Button>
      </FullPageMessage>
    );
  }
  return children;
}

function NotFoundPage() {
  return (
    <FullPageMessage title="Page not found">
      <p className="text-sm text-muted-foreground">There is nothing at this address.</p>
      <Button asChild>
        <Link to="/">Go home</Link>
      </Button>
    </FullPageMessage>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/signin"
        element={
          <GuestOnly>
            <SignInPage />
          </GuestOnly>
        }
      />
      <Route
        path="/signup"
        element={
          <GuestOnly>
            <SignUpPage />
          </GuestOnly>
        }
      />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/verify-email" element={<VerifyEmailPage />} />
      <Route
        path="/dev/outbox"
        element={
          <SessionShell>
            <OutboxPage />
          </SessionShell>
        }
      />
      <Route
        path="/projects/:id"
        element={
          <RequireAuth>
            <WorkspacePage />
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="/settings" element={<SettingsPage />} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionGate>
            <ThemeProvider>
              <TooltipProvider delayDuration={300}>
                <Suspense fallback={<FullPageSpinner />}>
                  <AppRoutes />
                </Suspense>
                <Toaster position="bottom-right" />
              </TooltipProvider>
            </ThemeProvider>
          </SessionGate>
        </BrowserRouter>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
