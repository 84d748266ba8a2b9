import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web front end is built into web/dist and served by the API server (one process, one port).
// `npm run dev:web` serves it with hot reload and forwards /api to a server started with `npm start`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { "/api": `http://localhost:${process.env.PORT ?? 3000}` } },
});
