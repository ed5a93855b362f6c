/**
 * Builds the server into dist/ (esbuild: one bundle of server/src and shared/src, the packages in
 * node_modules left to Node), unless dist/ is newer than every file it is made from. `npm start
 * -w server` runs this, then the bundle.
 *
 * Why a bundle: started through tsx (`node --import tsx src/main.ts`), each of the ~300 TypeScript
 * modules of the server and the rules engine went through tsx's loader thread, twice over (the
 * main thread and the SQLite worker's): 2.4–2.9 s of CPU before the server listened, against 1.1 s
 * for the bundle (docs/benchmarks.md, "The test suite"). The build itself takes under a second
 * and is skipped when nothing changed.
 *
 * The check and the lock are the client's too (shared/build-when-stale.mjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildWhenStale } from '../shared/build-when-stale.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The packages the bundle imports at run time rather than contains: the dependencies of both workspaces. */
function packages() {
  const deps = (file) => Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).dependencies ?? {});
  const names = [...deps(path.join(here, 'package.json')), ...deps(path.join(here, '../shared/package.json'))].filter((name) => name !== '@heist/shared');
  return names.flatMap((name) => [name, `${name}/*`]);
}

await buildWhenStale({
  // What the bundle is made from: the sources, the packages' lists, the compiler settings (decorators) and the scripts.
  sources: ['src', '../shared/src', 'package.json', '../shared/package.json', 'tsconfig.json', '../tsconfig.json', 'build.mjs', '../shared/build-when-stale.mjs'].map((file) => path.join(here, file)),
  stamp: path.join(here, 'dist/.built'),
  lock: path.join(here, '.build-lock'),
  waitMs: 120_000,
  build: () =>
    build({
      absWorkingDir: here,
      entryPoints: {
        main: 'src/main.ts',
        // Before @colyseus/core is imported (node --import): a bundle evaluates its packages' imports before its own code.
        'presence-timeout': 'src/cluster/presenceTimeout.ts',
        // The SQLite thread's own entry (persistence/sqlite/offThread.ts starts it).
        'sqlite-worker': 'src/persistence/sqlite/worker.ts',
      },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: 'dist',
      external: packages(),
      sourcemap: true,
      logLevel: 'warning',
    }),
});
