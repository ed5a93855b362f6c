/**
 * A CPU profile of the server's main thread, for the load script: Node 20 refuses `--cpu-prof`
 * in NODE_OPTIONS (and the server starts as `npm start -w server`), so this preload starts V8's
 * sampling profiler through node:inspector and writes a `.cpuprofile` (Chrome DevTools' format,
 * as `--cpu-prof` writes) when the process exits.
 *
 *   SERVER_NODE_ARGS="--import $PWD/test/bench/cpu-profile.mjs" CPU_PROFILE_DIR=/tmp/prof npx tsx test/bench/load.ts --rooms 100
 *
 * (An absolute path: npm starts the server in server/.) CPU_PROFILE_AFTER_S=N starts the
 * profile N seconds after the server starts (to leave out its start and the rooms opening).
 * Only the server's own process (node running src/main.ts) is profiled, not npm's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector';

const dir = process.env.CPU_PROFILE_DIR;
if (dir && process.argv.some((a) => a.endsWith('src/main.ts'))) {
  const session = new Session();
  session.connect();
  // The same-thread session answers synchronously, so the profile can be taken on 'exit'.
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.CPU_PROFILE_INTERVAL_US ?? 1000) });
  const after = Number(process.env.CPU_PROFILE_AFTER_S ?? 0);
  if (after > 0) setTimeout(() => session.post('Profiler.start'), after * 1000).unref();
  else session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return void console.error(`cpu profile: ${error.message}`);
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `server-${process.pid}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(result.profile));
      console.log(`cpu profile written to ${file}`);
    });
  });
}
