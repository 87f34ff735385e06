import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build, defineConfig, type InlineConfig, type Plugin } from 'vite';

const clientRoot = path.resolve(import.meta.dirname, 'client');
const outDir = path.resolve(import.meta.dirname, 'dist/client');

/** Writes a .gz beside every built asset; the server sends it to browsers that accept gzip. */
function precompressAssets(): Plugin {
  return {
    name: 'kotae-precompress-assets',
    apply: 'build',
    closeBundle: {
      sequential: true,
      handler() {
        const assetsDir = path.join(outDir, 'assets');
        for (const name of fs.readdirSync(assetsDir)) {
          if (!/\.(js|css|svg)$/.test(name)) continue;
          const file = path.join(assetsDir, name);
          fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
        }
      },
    },
  };
}

/**
 * Puts each page's built stylesheet into its HTML as a `<style>` element and drops the file: a phone
 * then runs the page's script without waiting for a second connection to fetch the CSS. The server
 * allows exactly this element by its hash (server/transport/http/join-page.ts).
 */
function inlineStylesheets(): Plugin {
  return {
    name: 'kotae-inline-stylesheets',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const page of Object.values(bundle)) {
        if (page.type !== 'asset' || !page.fileName.endsWith('.html')) continue;
        page.source = String(page.source).replace(/<link rel="stylesheet"[^>]* href="\/([^"]+\.css)">/g, (_link, fileName: string) => {
          const stylesheet = bundle[fileName];
          if (stylesheet?.type !== 'asset') throw new Error(`${page.fileName} links ${fileName}, which is not in the build`);
          delete bundle[fileName];
          return `<style>${String(stylesheet.source).trim()}</style>`;
        });
      }
    },
  };
}

/**
 * The join page, the first page of every participant on venue Wi-Fi, as its own build: one script
 * with nothing shared with the other pages (a phone fetches it over the connection the HTML came on,
 * instead of opening one connection per chunk) and its stylesheet inline.
 */
const joinPageBuild: InlineConfig = {
  configFile: false,
  root: clientRoot,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  plugins: [inlineStylesheets()],
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    rolldownOptions: { input: { join: path.join(clientRoot, 'join/index.html') } },
  },
};

/** Builds the join page alone once the other pages are written (see joinPageBuild). */
function buildJoinPageAlone(): Plugin {
  return {
    name: 'kotae-join-page-alone',
    apply: 'build',
    closeBundle: {
      sequential: true,
      async handler() {
        await build(joinPageBuild);
      },
    },
  };
}

/** One HTML entry per page (the join page in a build of its own); the server serves dist/client. */
export default defineConfig({
  root: clientRoot,
  base: '/',
  publicDir: false,
  plugins: [buildJoinPageAlone(), precompressAssets()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        home: path.join(clientRoot, 'index.html'),
        present: path.join(clientRoot, 'present/index.html'),
        console: path.join(clientRoot, 'console/index.html'),
        organizer: path.join(clientRoot, 'organizer/index.html'),
        handout: path.join(clientRoot, 'handout/index.html'),
        admin: path.join(clientRoot, 'admin/index.html'),
      },
    },
  },
});
