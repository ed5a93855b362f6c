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
 * Several servers may start at once (the tests start many): a lock directory makes one build
 * while the others wait, then find dist/ fresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const stamp = path.join(dist, '.built');
const lock = path.join(here, '.build-lock');
// What the bundle is made from: the sources, the packages' lists, the compiler settings (decorators) and this script.
const sources = ['src', '../shared/src', 'package.json', '../shared/package.json', 'tsconfig.json', '../tsconfig.json', 'build.mjs'].map((file) => path.join(here, file));

function newestMtime(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

const fresh = () => fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs > Math.max(...sources.map(newestMtime));

/** The packages the bundle imports at run time rather than contains: the dependencies of both workspaces. */
function packages() {
  const deps = (file) => Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).dependencies ?? {});
  const names = [...deps(path.join(here, 'package.json')), ...deps(path.join(here, '../shared/package.json'))].filter((name) => name !== '@heist/shared');
  return names.flatMap((name) => [name, `${name}/*`]);
}

async function buildDist() {
  await build({
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
    outdir: dist,
    external: packages(),
    sourcemap: true,
    logLevel: 'warning',
  });
  fs.writeFileSync(stamp, new Date().toISOString());
}

const deadline = Date.now() + 120_000;
while (!fresh()) {
  try {
    fs.mkdirSync(lock);
  } catch {
    // Another start is building; a lock older than two minutes is left over from a crash.
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`timed out waiting for another build of the server (${lock})`);
    await new Promise((r) => setTimeout(r, 100));
    continue;
  }
  try {
    if (!fresh()) await buildDist();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
