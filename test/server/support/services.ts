/**
 * Real PostgreSQL and Redis servers for tests, from the machine's Debian packages
 * (`postgresql`, `redis-server`; .ci/run installs them when missing). Each test file starts
 * its own throwaway server on a free loopback port, in a temporary folder, and stops it after.
 * On a machine without them the tests that need them are skipped, saying why: the README's
 * `npm ci && npm test` passes there too.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface Service {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export type Started = Service | { skipped: string };

/** A port nobody listens on right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function stopper(proc: ChildProcess, signal: NodeJS.Signals, cleanup: () => void): () => Promise<void> {
  const exited = new Promise<void>((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', () => resolve())));
  return async () => {
    if (proc.exitCode === null) proc.kill(signal);
    await exited;
    cleanup();
  };
}

async function waitFor(what: string, proc: ChildProcess, output: string[], probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}:\n${output.join('')}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not start:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ── PostgreSQL ──────────────────────────────────────────────────────────────

/** The newest PostgreSQL server binaries installed (Debian keeps them per major version). */
function postgresBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user the package made. */
function serviceUser(): { uid?: number; gid?: number } | { refused: string } {
  if (process.getuid?.() !== 0) return {};
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) return { refused: 'running as root and there is no postgres user to run PostgreSQL as' };
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * A fresh PostgreSQL cluster (trust authentication, loopback only, no fsync: a test database).
 * `port`: on that port (where a recipe expects the machine's own PostgreSQL, 5432).
 */
export async function startPostgres(options: { port?: number } = {}): Promise<Started> {
  const bin = postgresBin();
  if (!bin) return { skipped: 'PostgreSQL is not installed (Debian package postgresql; .ci/run installs it)' };
  const user = serviceUser();
  if ('refused' in user) return { skipped: user.refused };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-pg-'));
  const data = path.join(dir, 'data');
  if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid!);
  const as = { ...user, cwd: dir, env: { ...process.env, HOME: dir } };
  const inited = spawnSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'], { ...as, encoding: 'utf8' });
  if (inited.status !== 0) throw new Error(`initdb failed:\n${inited.stdout}${inited.stderr}`);
  const port = options.port ?? (await freePort());
  const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];
  const proc = spawn(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, ...settings.flatMap((s) => ['-c', s])], { ...as, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  proc.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
  proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor('PostgreSQL', proc, output, async () => {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  });
  // SIGINT: PostgreSQL's "fast" shutdown (ends its sessions, then exits).
  return { url, proc, stop: stopper(proc, 'SIGINT', () => fs.rmSync(dir, { recursive: true, force: true })) };
}

/** A new, empty database on that server; its URL. */
export async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Why the tests needing both servers cannot run here, or undefined when they can. */
export function servicesMissing(): string | undefined {
  const reasons: string[] = [];
  if (!postgresBin()) reasons.push('PostgreSQL is not installed (Debian package postgresql)');
  else {
    const user = serviceUser();
    if ('refused' in user) reasons.push(user.refused);
  }
  if (!(process.env.REDIS_SERVER ?? which('redis-server'))) reasons.push('redis-server is not installed (Debian package redis-server)');
  return reasons.length ? `${reasons.join('; ')}; .ci/run installs them` : undefined;
}

// ── Redis ───────────────────────────────────────────────────────────────────

function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * A fresh redis-server on loopback, in memory only (no snapshots, no append-only file).
 * `port`: on that port (a restart: a new, empty Redis where the old one was).
 */
export async function startRedis(options: { port?: number } = {}): Promise<Started> {
  const bin = process.env.REDIS_SERVER ?? which('redis-server');
  if (!bin) return { skipped: 'redis-server is not installed (Debian package redis-server; .ci/run installs it)' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-redis-'));
  const port = options.port ?? (await freePort());
  const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  proc.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
  proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
  await waitFor('redis-server', proc, output, async () => /Ready to accept connections/.test(output.join('')));
  return { url: `redis://127.0.0.1:${port}`, proc, stop: stopper(proc, 'SIGTERM', () => fs.rmSync(dir, { recursive: true, force: true })) };
}

/** A server process's environment for these tests: a fast network and bots, short phases. */
export const FAST_PROCESS_ENV: Readonly<Record<string, string>> = {
  LATENCY_MS: '40',
  ROUND_MS: '30000',
  PREPARE_MS: '3000',
  CLOSING_MS: '1500',
  BOT_DELAY_MS: '15-40',
  BETWEEN_ROUNDS_MS: '1000',
  SEATING_GRACE_MS: '3000',
  SHUTDOWN_WAIT_MS: '2000',
  JOINS_PER_MINUTE: '10000',
};
