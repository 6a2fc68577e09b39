import path from "node:path";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The dev server runs in a sandbox and is only reachable through the appwright preview
// gateway, which serves it on `<project>.preview.localhost:8000` (or the production
// preview domain). Hence:
// - host 0.0.0.0: the gateway reaches the sandbox over a network link, not loopback;
// - allowedHosts true: Vite 6 rejects unknown Host headers; the gateway already decides
//   which host names reach this server, so every host it forwards is allowed;
// - hmr without port/clientPort: the HMR client then connects to the page's own origin
//   (location.host), i.e. through the gateway, which tunnels the websocket.
export default defineConfig({
  // Vite's pre-bundled dependencies live in .vite/ (see cacheDir): keep them out of the
  // React plugin's Babel pass, which would otherwise rewrite the 1 MB react-dom bundle
  // (node_modules is excluded by default, .vite is not).
  plugins: [react({ exclude: [/\/\.vite\//] })],
  resolve: {
    alias: { "@": path.resolve(__dirname, "./src") },
  },
  // Keep Vite's dependency cache inside the project: node_modules may be shared between
  // projects (linked from the platform's package cache) and must not be written to.
  cacheDir: ".vite",
  server: {
    host: "0.0.0.0",
    port: Number(process.env.PORT) || 5173,
    strictPort: true,
    allowedHosts: true,
  },
  preview: {
    host: "0.0.0.0",
    port: Number(process.env.PORT) || 4173,
    strictPort: true,
    allowedHosts: true,
  },
});
