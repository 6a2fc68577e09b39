// Paths the SPA itself handles: links to them open in-app, whatever host the
// server put in the email (it may not know the port the browser is using).
const IN_APP_PATHS = ["/verify-email", "/reset-password", "/signin", "/signup", "/settings"];

export type EmailLink =
  { kind: "app"; to: string; href: string } | { kind: "external"; href: string };

export function classifyLink(href: string): EmailLink {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { kind: "external", href };
  }
  if (IN_APP_PATHS.includes(url.pathname)) {
    return { kind: "app", to: `${url.pathname}${url.search}`, href };
  }
  return { kind: "external", href };
}
