/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Where `npm run dev` and `npm run preview` send the API calls: the backend
// (BACKEND_URL overrides it).
const backend = process.env.BACKEND_URL ?? "http://127.0.0.1:8000";
const proxy = {
  "/graphql": { target: backend, changeOrigin: true },
  "/api": { target: backend, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, strictPort: true, proxy },
  test: {
    environment: "jsdom",
    setupFiles: ["src/setupTests.ts"],
    restoreMocks: true,
  },
});
