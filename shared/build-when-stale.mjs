/**
 * Runs a build unless its output is newer than everything it is made from, one build at a time.
 * The client's and the server's build scripts use it (client/build.mjs, server/build.mjs), so
 * `npm start` after the first only checks dates, and many servers started at once (the tests
 * start dozens) build once: a lock directory makes one build while the others wait, then find
 * the output fresh. Plain JavaScript: `npm start` runs it with node alone. It sits in shared/, the
 * workspace both builds are made from, so neither reaches up into tools/ or into the other.
 */
import fs from 'node:fs';

function newestMtime(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestMtime(`${file}/${entry}`));
  return newest;
}

/**
 * @param {object} job
 * @param {string[]} job.sources files and folders the output is made from
 * @param {string} job.stamp a file the build leaves beside its output; it is fresh while newer than every source
 * @param {string} job.lock a directory that only one build holds at a time
 * @param {() => Promise<void>} job.build makes the output
 * @param {number} [job.waitMs] how long to wait for another build (a lock older than this is left over from a crash)
 */
export async function buildWhenStale({ sources, stamp, lock, build, waitMs = 180_000 }) {
  const fresh = () => fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs > Math.max(...sources.map(newestMtime));
  const deadline = Date.now() + waitMs;
  while (!fresh()) {
    try {
      fs.mkdirSync(lock);
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > waitMs) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build (${lock})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      if (!fresh()) {
        await build();
        fs.writeFileSync(stamp, new Date().toISOString());
      }
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}
