import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const clientRoot = path.resolve(import.meta.dirname, 'client');
const outDir = path.resolve(import.meta.dirname, 'dist/client');

/** Writes a .gz beside every built asset; the server sends it to browsers that accept gzip. */
function precompressAssets(): Plugin {
  return {
    name: 'kotae-precompress-assets',
    apply: 'build',
    closeBundle() {
      const assetsDir = path.join(outDir, 'assets');
      for (const name of fs.readdirSync(assetsDir)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const file = path.join(assetsDir, name);
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
      }
    },
  };
}

/** One HTML entry per page; the server serves dist/client. */
export default defineConfig({
  root: clientRoot,
  base: '/',
  publicDir: false,
  plugins: [precompressAssets()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        home: path.join(clientRoot, 'index.html'),
        join: path.join(clientRoot, 'join/index.html'),
        present: path.join(clientRoot, 'present/index.html'),
        console: path.join(clientRoot, 'console/index.html'),
        organizer: path.join(clientRoot, 'organizer/index.html'),
        handout: path.join(clientRoot, 'handout/index.html'),
        admin: path.join(clientRoot, 'admin/index.html'),
      },
    },
  },
});
