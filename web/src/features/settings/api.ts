import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { toast } from "sonner";
import { api } from "@/api/client";
import { errorMessage } from "@/api/errors";
import type { Theme, User } from "@/api/types";
import { unwrap, unwrapEmpty } from "@/api/unwrap";
import { sessionKey } from "@/features/auth/api";

export const apiKeysKey = ["api-keys"] as const;

export function useApiKeys() {
  return useQuery({ queryKey: apiKeysKey, queryFn: () => unwrap(api.GET("/api/auth/api-keys")) });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => unwrap(api.POST("/api/auth/api-keys", { body: { name } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrapEmpty(api.DELETE("/api/auth/api-keys/{key_id}", { params: { path: { key_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

/**
 * Saves the theme optimistically: the page switches at once, a failure rolls it back,
 * and only the newest of several quick choices may overwrite the cached user.
 */
export function useSaveTheme() {
  const queryClient = useQueryClient();
  const latest = useRef(0);
  return useMutation({
    mutationFn: (theme: Theme) => unwrap(api.PATCH("/api/users/me", { body: { theme } })),
    onMutate: (theme) => {
      latest.current += 1;
      const previous = queryClient.getQueryData<User | null>(sessionKey);
      if (previous) queryClient.setQueryData<User>(sessionKey, { ...previous, theme });
      return { seq: latest.current, previous: previous?.theme };
    },
    onSuccess: (user, _theme, context) => {
      if (context.seq === latest.current) queryClient.setQueryData(sessionKey, user);
    },
    onError: (error, _theme, context) => {
      toast.error(`Could not save the theme: ${errorMessage(error)}`);
      const previousTheme = context?.previous;
      if (context?.seq !== latest.current || !previousTheme) return;
      queryClient.setQueryData<User | null>(sessionKey, (user) =>
        user ? { ...user, theme: previousTheme } : user,
      );
    },
  });
}
