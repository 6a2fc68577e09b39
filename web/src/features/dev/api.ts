import { useQuery } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap } from "@/api/unwrap";

export const outboxKey = ["dev", "outbox"] as const;

export function useOutbox() {
  return useQuery({
    queryKey: outboxKey,
    queryFn: () => unwrap(api.GET("/api/dev/outbox")),
    retry: false,
    refetchInterval: 5_000,
  });
}

/** True when the server runs in development and exposes its email outbox. */
export function useOutboxAvailable(): boolean {
  const { isSuccess } = useQuery({
    queryKey: outboxKey,
    queryFn: () => unwrap(api.GET("/api/dev/outbox")),
    retry: false,
    staleTime: Infinity,
  });
  return isSuccess;
}
