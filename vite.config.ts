import path from 'node:path';
import { defineConfig } from 'vite';

const clientRoot = path.resolve(import.meta.dirname, 'client');

/** One HTML entry per page; the server serves dist/client. */
export default defineConfig({
  root: clientRoot,
  base: '/',
  publicDir: false,
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        home: path.join(clientRoot, 'index.html'),
        join: path.join(clientRoot, 'join/index.html'),
        present: path.join(clientRoot, 'present/index.html'),
        organizer: path.join(clientRoot, 'organizer/index.html'),
      },
    },
  },
});
