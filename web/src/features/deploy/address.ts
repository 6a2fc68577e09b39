/**
 * A published app's address: `{slug}.{apps domain}`, checked as the server checks it
 * (appwright/deploy/slugs.py) so the dialog can say what is wrong before asking.
 */

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED = new Set([
  "www",
  "api",
  "app",
  "apps",
  "admin",
  "preview",
  "mail",
  "static",
  "assets",
  "status",
]);
/** The server's default; the API does not say which one it uses. */
export const DEFAULT_APPS_DOMAIN = "apps.localhost";

/** Why `slug` cannot be an address, or null when it can. */
export function slugProblem(slug: string): string | null {
  if (slug.length < 3 || slug.length > 63) return "An address has 3 to 63 characters.";
  if (!SLUG.test(slug))
    return "An address uses lowercase letters, digits and hyphens, and starts and ends with a letter or digit.";
  if (slug.slice(2, 4) === "--")
    return "An address cannot have two hyphens in its third and fourth places.";
  if (RESERVED.has(slug)) return `The address "${slug}" is reserved; choose another.`;
  return null;
}

/** An address made from the project's name and a piece of its id (as the server makes one). */
export function suggestSlug(name: string, projectId: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
  const suffix = projectId.replace(/-/g, "").slice(0, 6);
  return base.length >= 3 ? `${base}-${suffix}` : `app-${suffix}`;
}

/**
 * The URL `slug` will have. A known published URL gives the scheme, domain and port;
 * before a first publish they come from the page's own location and the default domain.
 */
export function addressUrl(
  slug: string,
  knownUrl: string | null,
  location: { protocol: string; port: string },
): string {
  if (knownUrl) {
    const known = new URL(knownUrl);
    const domain = known.hostname.split(".").slice(1).join(".");
    return `${known.protocol}//${slug}.${domain}${known.port ? `:${known.port}` : ""}/`;
  }
  const port = location.port ? `:${location.port}` : "";
  return `${location.protocol}//${slug}.${DEFAULT_APPS_DOMAIN}${port}/`;
}
