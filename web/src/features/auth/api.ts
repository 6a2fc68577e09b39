import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { User } from "@/api/types";
import { unwrap, unwrapEmpty } from "@/api/unwrap";

export const sessionKey = ["session"] as const;

async function fetchSession(): Promise<User | null> {
  const data = await unwrap(api.GET("/api/auth/session"));
  if (data.user) return data.user;
  // The access cookie may have expired while the refresh cookie is still good.
  const refreshed = await api.POST("/api/auth/refresh");
  return refreshed.response.ok && refreshed.data ? refreshed.data.user : null;
}

/** The signed-in user, or null. Loaded first: it also sets the CSRF cookie. */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: fetchSession,
    staleTime: 5 * 60_000,
    retry: 1,
  });
}

/** The signed-in user; only for components rendered behind RequireAuth. */
export function useCurrentUser(): User {
  const { data } = useSession();
  if (!data) throw new Error("useCurrentUser used outside an authenticated route");
  return data;
}

function useSetSessionUser() {
  const queryClient = useQueryClient();
  return (user: User | null) => queryClient.setQueryData(sessionKey, user);
}

export function useSignIn() {
  const setUser = useSetSessionUser();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      unwrap(api.POST("/api/auth/signin", { body })),
    onSuccess: (data) => setUser(data.user),
  });
}

export function useSignUp() {
  const setUser = useSetSessionUser();
  return useMutation({
    mutationFn: (body: { email: string; password: string; name: string }) =>
      unwrap(api.POST("/api/auth/signup", { body })),
    onSuccess: (data) => setUser(data.user),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrapEmpty(api.POST("/api/auth/signout")),
    // Whatever the server said, forget everything that belonged to this user.
    onSettled: () => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      queryClient.setQueryData(sessionKey, null);
    },
  });
}

export function useVerifyEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => unwrap(api.POST("/api/auth/verify-email", { body: { token } })),
    onSuccess: async (data) => {
      const current = queryClient.getQueryData<User | null>(sessionKey);
      if (current?.id === data.user.id) queryClient.setQueryData(sessionKey, data.user);
      else await queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
}

export function useResendVerification() {
  return useMutation({
    mutationFn: () => unwrapEmpty(api.POST("/api/auth/verify-email/resend")),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) =>
      unwrapEmpty(api.POST("/api/auth/reset-password", { body: { email } })),
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      unwrapEmpty(api.POST("/api/auth/reset-password/confirm", { body })),
  });
}

export interface ProfileUpdate {
  name?: string;
  avatar_url?: string | null;
  theme?: User["theme"];
}

export function useUpdateMe() {
  const setUser = useSetSessionUser();
  return useMutation({
    mutationFn: (body: ProfileUpdate) => unwrap(api.PATCH("/api/users/me", { body })),
    onSuccess: (user) => setUser(user),
  });
}
