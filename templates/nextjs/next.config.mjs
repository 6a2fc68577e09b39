/** @type {import('next').NextConfig} */

// The preview is served through the appwright gateway on another host name
// (`<project>.preview.localhost:8000` by default). Next.js 15 warns (16 blocks) when dev
// assets and the HMR websocket (/_next/webpack-hmr) are requested from an origin other
// than the dev server's own, so the preview domain is allowed explicitly.
const previewDomain = process.env.APPWRIGHT_PREVIEW_DOMAIN || "preview.localhost";

const nextConfig = {
  reactStrictMode: true,
  allowedDevOrigins: [`*.${previewDomain}`, previewDomain],
};

export default nextConfig;
