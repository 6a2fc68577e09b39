import { useQuery } from "@tanstack/react-query";
import { api } from "@/api/client";
import { ApiError } from "@/api/errors";
import { unwrap } from "@/api/unwrap";
import { useSession } from "@/features/auth/api";

/** Per user: a cached list is never shown to the next person signing in on this browser. */
export const outboxKey = (userId: string | null) => ["dev", "outbox", userId] as const;

/**
 * The emails sent to the signed-in user (the server shows nobody else's). Not asked for
 * when signed out: the server answers 401 then.
 */
export function useOutbox() {
  const { data: user } = useSession();
  return useQuery({
    queryKey: outboxKey(user?.id ?? null),
    queryFn: () => unwrap(api.GET("/api/dev/outbox")),
    enabled: Boolean(user),
    retry: false,
    refetchInterval: 5_000,
  });
}

/**
 * Whether the server runs in development and keeps an outbox: it answers the signed-in
 * user's emails, or 401 to a signed-out visitor (404 when there is none). `data` is
 * undefined while that is not known yet.
 */
export function useOutboxAvailability() {
  const { data: user, isPending } = useSession();
  return useQuery({
    queryKey: [...outboxKey(user?.id ?? null), "available"],
    queryFn: async () => {
      try {
        await unwrap(api.GET("/api/dev/outbox"));
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return true;
        if (error instanceof ApiError && error.status === 404) return false;
        throw error;
      }
    },
    enabled: !isPending,
    retry: false,
    staleTime: Infinity,
  });
}

/** True when the server keeps an outbox (see `useOutboxAvailability`). */
export function useOutboxAvailable(): boolean {
  return useOutboxAvailability().data === true;
}
