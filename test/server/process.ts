/**
 * The game server as the README starts it: `npm start -w server` from the project's folder, its
 * settings in the environment ("Many classes at once"). npm runs server/package.json's start
 * script through a shell (npm → sh: build.mjs, then node dist/main.js): `pid` is the server's own
 * process, so a signal reaches the server itself, as `kill <pid>` or a process manager sends it;
 * npm exits when the server does, with its exit code.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, terminalEnv, type Command } from '../support/terminal.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  port: number;
  /** The server's own process (node running server/dist/main.js), below npm. */
  pid: number;
  /** `npm start -w server` as a whole. */
  command: Command;
  output: string[];
  /** npm's exit code, which is the server's (npm exits when the server does). */
  exited: Promise<number | null>;
  running(): boolean;
  /** A signal to the server's own process. */
  signal(signal: NodeJS.Signals): void;
  /** Kill -9 every process of the command, the server among them: a crash or a pulled plug. */
  crash(): Promise<void>;
  /** SIGTERM to the server (it finishes the rounds being played, SHUTDOWN_WAIT_MS at most); resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * `npm start -w server` with `env` on top of the test's environment (less npm's and Vitest's own).
 * `nodeOptions`: NODE_OPTIONS, which reaches every node process the command starts, npm's own too.
 * `fdLimit`: run it under `ulimit -n` (the shell execs npm; the limit passes to the server).
 */
export async function spawnServer(env: Record<string, string>, nodeOptions: string[] = [], options: { fdLimit?: number } = {}): Promise<ServerProcess> {
  const settings = terminalEnv({
    // Stopping it (SIGTERM) waits at most a second for rounds still being played, unless told otherwise.
    HOST: '127.0.0.1',
    PORT: '0',
    SHUTDOWN_WAIT_MS: '1000',
    ...(nodeOptions.length ? { NODE_OPTIONS: nodeOptions.join(' ') } : {}),
    ...env,
  });
  const command = options.fdLimit
    ? runCommand('sh', ['-c', `ulimit -n ${options.fdLimit} && exec npm start -w server`], { cwd: root, env: settings, label: `ulimit -n ${options.fdLimit} && npm start -w server` })
    : runCommand('npm', ['start', '-w', 'server'], { cwd: root, env: settings });
  const port = await new Promise<number>((resolve, reject) => {
    // Generous: npm and tsx start slowly on two cores busy with a browser and other test workers.
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${command.text()}`)), 60_000);
    const onData = () => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(command.text());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    command.proc.stdout!.on('data', onData);
    void command.exited.then((code) => reject(new Error(`npm start -w server exited with ${code}:\n${command.text()}`)));
  }).catch(async (e: unknown) => {
    command.signalGroup('SIGKILL');
    throw e;
  });
  const pid = command.ownProcess(/dist\/main\.js/);
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  };
  return {
    port,
    pid,
    command,
    output: command.output,
    exited: command.exited,
    running: command.running,
    signal,
    async crash() {
      command.signalGroup('SIGKILL');
      await command.ended;
    },
    async stop() {
      signal('SIGTERM');
      await command.exited;
      await command.ended;
    },
  };
}
