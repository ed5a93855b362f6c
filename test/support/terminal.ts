/**
 * A command run as a user's terminal runs it: in the folder the docs name, in an environment
 * without what npm and Vitest add to the test's own (a user typing `npm start` has no
 * `npm_lifecycle_event`, no `NODE_ENV=test`, no `VITEST_*`), in a process group of its own —
 * the foreground job a terminal signals with Ctrl-C, every process the command started.
 *
 * npm wraps what it runs (npm → sh → node): signalling npm alone does not reach the program,
 * so `ownProcess` finds the program among the command's descendants (Linux's /proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The test process's environment less what `npm test` and Vitest put in it. */
export function terminalEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^npm_/i.test(key) || /^VITEST/.test(key) || ['INIT_CWD', 'NODE_ENV', 'TEST', 'NODE_OPTIONS', 'TSX_TSCONFIG_PATH'].includes(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export interface Command {
  /** What was run, for messages. */
  readonly line: string;
  /** The command's first process (npm, or the shell). */
  readonly proc: ChildProcess;
  /** stdout and stderr as they arrived, interleaved. */
  readonly output: string[];
  text(): string;
  /** The command's exit code (null: ended by a signal). */
  readonly exited: Promise<number | null>;
  /** Every process the command started has ended (the last holder of its output has closed it). */
  readonly ended: Promise<void>;
  running(): boolean;
  /** A signal to every process of the command, as a terminal's Ctrl-C (SIGINT) reaches its job. */
  signalGroup(signal: NodeJS.Signals): void;
  /** The process id of the program among the command's descendants whose command line matches. */
  ownProcess(commandLine: RegExp): number;
  /** Signal the group, wait for every process to end; after `graceMs`, SIGKILL them and throw. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Run `command args…` (e.g. `bash -c <line>`, or `npm start -w server`) in `cwd`. */
export function runCommand(command: string, args: string[], options: { cwd: string; env: Record<string, string>; label?: string }): Command {
  const proc = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const closed = (stream: NodeJS.ReadableStream) => new Promise<void>((resolve) => stream.once('close', () => resolve()));
  proc.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
  proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
  // A stream destroyed by the test (a reader that went away) still closes.
  const ended = Promise.all([closed(proc.stdout!), closed(proc.stderr!)]).then(() => undefined);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const pgid = proc.pid!;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pgid, signal);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  };
  const command_: Command = {
    line: options.label ?? [command, ...args].join(' '),
    proc,
    output,
    text: () => output.join(''),
    exited,
    ended,
    running: () => !done,
    signalGroup,
    ownProcess(commandLine) {
      const found = descendants(pgid).filter((p) => p.program.startsWith('node') && commandLine.test(p.commandLine));
      if (found.length !== 1) throw new Error(`expected one node process matching ${commandLine} under \`${command_.line}\`, found ${found.length}: ${JSON.stringify(descendants(pgid))}`);
      return found[0]!.pid;
    },
    async stop(signal = 'SIGINT', graceMs = 20_000) {
      signalGroup(signal);
      const result = await Promise.race([ended.then(() => 'ended' as const), new Promise<'hung'>((r) => setTimeout(() => r('hung'), graceMs))]);
      if (result === 'hung') {
        const left = descendants(pgid, true);
        signalGroup('SIGKILL');
        await ended;
        throw new Error(`\`${command_.line}\` was still running ${graceMs} ms after ${signal} (${left.map((p) => p.commandLine).join('; ')}):\n${command_.text().slice(-3000)}`);
      }
    },
  };
  return command_;
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  /** The executable's name (node, dash, bash…). */
  program: string;
  commandLine: string;
}

function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let program = '';
      try {
        program = path.basename(fs.readlinkSync(`/proc/${entry}/exe`));
      } catch {
        // a zombie has no executable any more
      }
      const commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      found.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), state: state!, program, commandLine });
    } catch {
      // it ended while we looked
    }
  }
  return found;
}

/** The processes started from `root` (itself included), or, with `group`, those still in its process group. */
function descendants(root: number, group = false): ProcessInfo[] {
  const all = processes().filter((p) => p.state !== 'Z');
  if (group) return all.filter((p) => p.pgid === root);
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all)
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => tree.has(p.pid));
}
