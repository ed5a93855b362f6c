/**
 * Builds the page into dist/ (Vite), unless dist/ is newer than every file it is made from:
 * `npm start` runs this before the server, so a second start of an unchanged game serves the
 * page it built before instead of building it again (~6 s on a school laptop's two cores).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWhenStale } from '../shared/build-when-stale.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

await buildWhenStale({
  // The page's sources and the rules engine's, its settings, the packages installed (the lock file) and the scripts.
  sources: ['src', '../shared/src', 'index.html', 'vite.config.ts', 'package.json', '../shared/package.json', '../package-lock.json', 'build.mjs', '../shared/build-when-stale.mjs'].map((file) => path.join(here, file)),
  stamp: path.join(here, 'dist/.built'),
  lock: path.join(here, '.build-lock'),
  build: async () => {
    const { build } = await import('vite'); // only when building: loading Vite is most of a fresh check's time
    await build({ root: here });
  },
});
