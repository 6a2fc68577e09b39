/** Only same-app paths are followed after sign-in, never another origin. */
export function safeRedirect(from: string | undefined): string {
  return from?.startsWith("/") && !from.startsWith("//") ? from : "/";
}
