import type { ReactNode } from "react";
import { useSession } from "@/features/auth/api";
import { AppShell } from "./AppShell";
import { PublicShell } from "./PublicShell";

/** The app's header when signed in, a minimal one when not. */
export function SessionShell({ children }: { children: ReactNode }) {
  const { data: user } = useSession();
  return user ? <AppShell>{children}</AppShell> : <PublicShell>{children}</PublicShell>;
}
