/**
 * Saves `href` (a same-origin URL, a data: or blob: URL) through an `<a download>` click;
 * an empty `fileName` keeps the name the server gives (Content-Disposition).
 */
export function downloadUrl(href: string, fileName = ""): void {
  const a = document.createElement("a");
  a.href = href;
  a.download = fileName;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
}
