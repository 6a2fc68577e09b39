import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useSession } from "./api";
import { safeRedirect } from "./redirect";

export interface FromState {
  from?: string;
}

/** Renders children only for a signed-in user; otherwise sends them to sign in. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: user } = useSession();
  const location = useLocation();
  if (!user) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/signin" replace state={{ from } satisfies FromState} />;
  }
  return children;
}

/** Sign-in/up pages: a signed-in user goes where they were headed. */
export function GuestOnly({ children }: { children: ReactNode }) {
  const { data: user } = useSession();
  const location = useLocation();
  if (user) {
    const from = (location.state as FromState | null)?.from;
    return <Navigate to={safeRedirect(from)} replace />;
  }
  return children;
}
