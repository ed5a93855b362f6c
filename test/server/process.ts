/** Run the real server entry point (server/src/main.ts) as its own process, as `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  port: number;
  proc: ChildProcess;
  output: string[];
  /** Kill -9: no graceful shutdown, as in a crash or a pulled plug. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `node --import tsx server/src/main.ts` (one process, so its pid is the server's own).
 * `fdLimit`: run it under `ulimit -n` (the shell execs node, so the pid is still the server's).
 */
export async function spawnServer(env: Record<string, string>, nodeArgs: string[] = [], options: { fdLimit?: number } = {}): Promise<ServerProcess> {
  const args = [...nodeArgs, '--import', 'tsx', 'server/src/main.ts'];
  const command = options.fdLimit ? 'sh' : process.execPath;
  const commandArgs = options.fdLimit ? ['-c', `ulimit -n ${options.fdLimit} && exec "$0" "$@"`, process.execPath, ...args] : args;
  const proc = spawn(command, commandArgs, {
    cwd: root,
    // Stopping it (SIGTERM) waits at most a second for rounds still being played, unless told otherwise.
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', SHUTDOWN_WAIT_MS: '1000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL'); // not left running behind the failed test
      reject(new Error(`server did not start:\n${output.join('')}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output.join('')}`)));
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    port,
    proc,
    output,
    async crash() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
