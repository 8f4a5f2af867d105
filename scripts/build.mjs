// Bundles the CLI (and its worker and benchmark) into single files: start-up is dominated by module loading,
// and one production bundle starts about twice as fast as an unbundled Ink program.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Ink imports react-devtools-core only when DEV=true. Left external, esbuild would hoist that import to the top of
// the ESM bundle and every start would fail without the package; an empty module keeps the bundle self-contained.
const withoutDevtools = {
  name: 'without-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'empty' }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
  },
};

// Ink, wrap-ansi, cli-truncate and widest-line measure every row with string-width; src/ui/string-width.ts gives the
// same answers with a fast path for narrow text (and is what the screens measure with). Its own import of the
// package resolves normally.
const SHARED_STRING_WIDTH = fileURLToPath(new URL('../src/ui/string-width.ts', import.meta.url));
const sharedStringWidth = {
  name: 'shared-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === SHARED_STRING_WIDTH ? undefined : { path: SHARED_STRING_WIDTH }));
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunk names carry content hashes: without a clean start, every build would leave the previous chunks behind.
rmSync(fileURLToPath(new URL('../dist', import.meta.url)), { recursive: true, force: true });

await build({
  entryPoints: {
    cli: 'src/cli.tsx',
    worker: 'src/ingest/worker.ts',
    'redact-worker': 'src/redact/detect-worker.ts',
    bench: 'src/bench/bench.ts',
    'ink-hello': 'src/bench/ink-hello.tsx',
  },
  outdir: 'dist',
  bundle: true,
  // One chunk per command (cli.tsx imports them when they run) and what they share: start-up loads only what the
  // command uses.
  splitting: true,
  // Chunks sit beside the entry points: code in a chunk finds worker.js next to itself (new URL('./worker.js', …)).
  chunkNames: '[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  // better-sqlite3 loads a native addon, so it stays a package.
  external: ['better-sqlite3'],
  plugins: [withoutDevtools, sharedStringWidth],
  define: {
    'process.env.NODE_ENV': '"production"',
    MANTRA_VERSION: JSON.stringify(pkg.version),
  },
  banner: {
    // Bundled CommonJS dependencies still call require(); give them one.
    // mantra-tui makes no network calls, so the process has no fetch: this also keeps Yoga (Ink's layout engine)
    // from loading Node's whole HTTP client just to decode its WebAssembly from a data: URL (~10 ms of start-up).
    js: [
      "import { createRequire as __mantraCreateRequire } from 'node:module'; const require = __mantraCreateRequire(import.meta.url);",
      "Object.defineProperty(globalThis, 'fetch', { value: undefined, writable: true, configurable: true });",
    ].join('\n'),
  },
  logLevel: 'warning',
});
