// appwright static dev server: serves this folder and reloads the page when a file
// changes. Plain Node (no npm install). Usage: node serve.mjs [--port N] [--host H]
// (PORT and HOST environment variables work too). Do not edit: the platform runs it.
import { createServer } from "node:http";
import { createReadStream, watch } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const port = Number(option("port") ?? process.env.PORT ?? 3000);
const host = option("host") ?? process.env.HOST ?? "0.0.0.0";
const root = resolve(process.cwd());

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

// Live reload over Server-Sent Events: plain HTTP, so it passes any reverse proxy.
const RELOAD_PATH = "/__livereload";
const RELOAD_SNIPPET =
  `<script>(() => { const s = new EventSource(${JSON.stringify(RELOAD_PATH)});` +
  ` s.addEventListener("change", () => location.reload()); })();</script>`;
const listeners = new Set();

let pending;
watch(root, { recursive: true }, (_event, filename) => {
  if (filename && (filename.startsWith(".git") || filename.includes(`node_modules`))) return;
  clearTimeout(pending); // editors write in bursts; reload once
  pending = setTimeout(() => {
    for (const res of listeners) res.write(`event: change\ndata: ${filename ?? ""}\n\n`);
  }, 50);
});

async function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  for (const path of [candidate, join(candidate, "index.html"), `${candidate}.html`]) {
    try {
      const info = await stat(path);
      if (info.isFile()) return { path, size: info.size };
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === RELOAD_PATH) {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.write(": connected\n\n");
    listeners.add(res);
    req.on("close", () => listeners.delete(res));
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const file = await resolveFile(url.pathname);
  if (!file) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
    return;
  }
  const type = TYPES[extname(file.path).toLowerCase()] ?? "application/octet-stream";
  const headers = { "content-type": type, "cache-control": "no-store" };
  if (type.startsWith("text/html")) {
    const html = (await readFile(file.path, "utf8")).replace(
      /<\/body>/i,
      `${RELOAD_SNIPPET}</body>`,
    );
    const body = html.includes(RELOAD_SNIPPET) ? html : html + RELOAD_SNIPPET;
    res.writeHead(200, { ...headers, "content-length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
    return;
  }
  res.writeHead(200, { ...headers, "content-length": file.size });
  if (req.method === "HEAD") res.end();
  else createReadStream(file.path).pipe(res);
});

server.listen(port, host, () => {
  console.log(`static dev server ready on http://${host}:${port}`);
});
