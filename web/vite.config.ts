/// <reference types="vitest/config" />
// The portal's build (`make web`: web/dist, served by the gateway at /) and its dev
// server (`make web-dev`), which passes the gateway's paths on to CB_GATEWAY_URL so the
// page and its API share one origin, as they do when the gateway serves the build.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const gateway = process.env.CB_GATEWAY_URL ?? "http://127.0.0.1:4000";
const proxied = ["/auth", "/evidence", "/me/export", "/healthz", "/readyz"];

export default defineConfig({
  plugins: [react()],
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/graphql": { target: gateway, ws: true, changeOrigin: false },
      ...Object.fromEntries(proxied.map((path) => [path, { target: gateway, changeOrigin: false }])),
    },
  },
  test: {
    environment: "jsdom",
    pool: "threads",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
