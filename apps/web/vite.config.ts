import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API server for `npm run dev -w @homepot/web` (vite dev server proxies /api to it).
const apiTarget = process.env.HOMEPOT_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8000}`;

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": { target: apiTarget, changeOrigin: false } } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // Print every chunk with its gzip size; routes are lazy chunks, vendors split so they cache.
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: "react",
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/,
              priority: 2,
            },
            {
              name: "charts",
              test: /node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor|decimal\.js-light|internmap|es-toolkit|immer|reselect|redux|@reduxjs|react-redux|use-sync-external-store|eventemitter3|tiny-invariant|clsx)[\\/]/,
              priority: 1,
            },
          ],
        },
      },
    },
  },
});
