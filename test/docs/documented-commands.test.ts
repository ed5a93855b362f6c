/**
 * Every command the README and docs/*.md show, run as written, on a clean copy of the project.
 *
 * The first command a new user types once failed on every fresh clone while 1,015 tests stayed
 * green: they started the server another way than the README. Here each line of each ```sh block
 * (test/docs/support/shown-commands.ts) runs verbatim under bash, from the project's folder, in
 * document order — one terminal per document: `export` lines carry over to the lines after them;
 * a server started by one line runs until a later line needs its port or the run ends — and
 * must have the effect the docs promise: the game's page over HTTP, a file written, a table
 * printed. EFFECTS below says, for every command by its text (its trailing comment aside), what
 * that effect is. A command the docs show and EFFECTS does not know fails, and so does an entry
 * no document shows any more: a changed README changes this test.
 *
 * The copy: the files git tracks, as they are in the working tree (`git ls-files`, uncommitted
 * edits included, ignored and untracked files not) — what a clone of the commit being prepared
 * holds. A plain `git clone` would test the last commit while a developer changes the next one;
 * copying the whole folder would carry node_modules, client/dist and a forgotten `git add` into a
 * test meant to catch exactly those. `npm ci` runs once, as the first command the README shows
 * (`npm ci && npm start`); a later `npm ci && …` in the same copy runs what follows the `&&`
 * (npm ci installs the same lockfile the same way, and costs a minute of CPU each time). Where
 * the project's own node_modules is exactly what `npm ci` installs from the copied lockfile
 * (support/installed.ts: package.json and lock in step, every locked package installed as
 * locked), the copy shares it by hard links and runs no `npm ci` at all: on CI `.ci/run` has
 * just run `npm ci` on the clean clone, and a second install would cost two to three minutes
 * (better-sqlite3 compiles from source) to make the same files. A
 * server that a command shown twice started the first time, and that still runs, is checked
 * again rather than started a second time.
 *
 * Some commands need root or a service manager; they are not run (NOT_RUN entries), each naming
 * the tests that cover it another way, and where the docs' next commands rely on what it does,
 * the test does that itself: redis-server and PostgreSQL started on 6379 and 5432, the database
 * user created by the same psql command as PostgreSQL's superuser.
 *
 * The docs name fixed ports (2567, 2568, 8080, 8443; Redis 6379, PostgreSQL 5432). A port some
 * other program holds fails the command that needs it, naming the port: on CI (a fresh machine)
 * they are free; a developer stops whatever holds them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from 'colyseus.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { until } from '../server/helpers.ts';
import { servicesMissing, startPostgres, startRedis, type Service } from '../server/support/services.ts';
import { runCommand, terminalEnv, type Command } from '../support/terminal.ts';
import { nodeModulesFolders, whyNotReusable } from './support/installed.ts';
import { documents, shownCommands, type ShownCommand } from './support/shown-commands.ts';

const root = path.resolve(import.meta.dirname, '../..');

// ── What each command must do ───────────────────────────────────────────────────────────────

interface Session {
  /** The clean copy every command runs in. */
  dir: string;
  /** The terminal's environment: `export` lines change it for the lines after them. */
  env: Record<string, string>;
  /** Whether `npm ci` has run in this copy. */
  installed: boolean;
  /** Servers still running, by the ports they hold, and how the docs' reader stops them. */
  holders: Map<number, { command: Command; stopWith: NodeJS.Signals; shown: ShownCommand }>;
  redis?: Service;
  postgres?: Service;
}

/** The newest modification time of a file, or of anything in a folder. */
function newestMtime(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((entry) => newestMtime(path.join(file, entry))));
}

type Effect = (
  /** A server in the foreground: the game's page on `port` (Ctrl-C stops it). */
  /** `builds`: the page it serves is built from the copy's sources as they are now (client/dist newer than every one). */
  | { kind: 'serves'; port: number; builds?: boolean; everyInterface?: boolean; timeoutMs?: number }
  /** `… &`: a server in the background, one of several processes (`kill` stops it). */
  | { kind: 'servesInBackground'; port: number; then?: (s: Session) => Promise<void> }
  /** A program that keeps running, ready once its output says so, holding `port`. */
  | { kind: 'keepsRunning'; port: number; ready: RegExp; check?: (s: Session, out: string) => void }
  /** A program that ends by itself with exit code 0 and this effect. */
  | { kind: 'exits'; check: (s: Session, out: string) => void | Promise<void>; timeoutMs?: number }
  /** Sets variables for the commands after it. */
  | { kind: 'exports'; values: Record<string, string | RegExp> }
  /** Not run: it needs root, a service manager or a deployment. `standIn` does what the next commands rely on. */
  | { kind: 'notRun'; why: string; coveredBy: string[]; standIn?: (s: Session, shown: ShownCommand) => Promise<void>; ports?: number[] }
) & {
  /**
   * What the machine must have besides Node (a program, or SERVICES: redis-server and PostgreSQL).
   * Without it the command is skipped and says why, as the tests that need them are (.ci/run
   * installs them all).
   */
  needs?: string;
};

/** redis-server and PostgreSQL, from the machine's packages. */
const SERVICES = 'services';

const GAME = 2567;
const SECOND_PROCESS = 2568;

const EFFECTS: Record<string, Effect> = {
  // README: Quick start, and Running it for a classroom.
  'npm ci && npm start': { kind: 'serves', port: GAME, builds: true, everyInterface: true, timeoutMs: 15 * 60_000 },
  'npm ci && npm test': {
    kind: 'notRun',
    why: 'it is the suite this test is part of (it would run itself)',
    coveredBy: ['.ci/run'], // a fresh clone: `npm ci`, then `npm test`
  },
  'PORT=8080 npm start': { kind: 'serves', port: 8080, builds: true },

  // README: Many classes at once.
  'sudo apt-get install redis-server postgresql': {
    kind: 'notRun',
    why: 'it needs root and Debian packages; the test checks that both servers are installed',
    coveredBy: ['.ci/run', 'test/server/support/services.ts'],
    needs: SERVICES,
  },
  'sudo systemctl start redis-server postgresql': {
    kind: 'notRun',
    why: 'it needs a service manager; the test starts redis-server on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 itself',
    coveredBy: ['test/server/processes.test.ts', 'test/server/processes-shutdown.test.ts'],
    needs: SERVICES,
    ports: [6379, 5432],
    standIn: async (s) => {
      const [redis, postgres] = await Promise.all([startRedis({ port: 6379 }), startPostgres({ port: 5432 })]);
      if ('skipped' in redis || 'skipped' in postgres) throw new Error(`the services went missing: ${JSON.stringify([redis, postgres].filter((x) => 'skipped' in x))}`);
      Object.assign(s, { redis, postgres });
    },
  },
  [`sudo -u postgres psql -c "CREATE USER heist PASSWORD 'heist'" -c "CREATE DATABASE heist OWNER heist"`]: {
    kind: 'notRun',
    why: 'sudo needs root; the test runs the same psql command as the database superuser postgres',
    coveredBy: ['test/server/store.test.ts'],
    needs: SERVICES,
    standIn: async (s, shown) => {
      if (!s.postgres) throw new Error('PostgreSQL was not started by the command before');
      const psql = shown.command.replace(/^sudo -u postgres /, '');
      const out = await finished(runCommand('bash', ['-c', psql], { cwd: s.dir, env: { ...s.env, PGHOST: '127.0.0.1', PGPORT: '5432', PGUSER: 'postgres' }, label: psql }));
      expect(out).toBe('CREATE ROLE\nCREATE DATABASE\n');
    },
  },
  'npm ci && npm run build -w client': {
    kind: 'exits',
    check: (s) => expect(fs.existsSync(path.join(s.dir, 'client/dist/index.html'))).toBe(true),
  },
  'export DATABASE_URL=postgres://heist:heist@127.0.0.1:5432/heist REDIS_URL=redis://127.0.0.1:6379': {
    kind: 'exports',
    values: { DATABASE_URL: 'postgres://heist:heist@127.0.0.1:5432/heist', REDIS_URL: 'redis://127.0.0.1:6379' },
  },
  'export ALLOWED_ORIGINS=http://localhost:2567,http://localhost:2568': { kind: 'exports', values: { ALLOWED_ORIGINS: 'http://localhost:2567,http://localhost:2568' } },
  'PORT=2567 PUBLIC_ADDRESS=localhost:2567 npm start -w server &': { kind: 'servesInBackground', port: GAME, needs: SERVICES },
  'PORT=2568 PUBLIC_ADDRESS=localhost:2568 npm start -w server &': { kind: 'servesInBackground', port: SECOND_PROCESS, needs: SERVICES, then: twoProcessesShareTheGame },

  // README: Benchmarks, with their smallest options.
  'npm run bench:backends -- --batches 1 --sessions 1 --warmup 0 --passes 1 --rounds 1 --levels 5': {
    kind: 'exits',
    check: (_, out) => {
      expect(out).toMatch(/^\| 5 \| \d+ \| \d+ \| [\d.]+× \| \d+ \| \d+ \| (PASS|BELOW TARGET) \|$/m);
      expect(out).toMatch(/^\| 5 \| node:crypto \| 1 \| \d+ \| [\d.]+ \(/m);
    },
  },
  'npm run bench:tls -- --batches 1 --sessions 1 --warmup 0 --levels 5': {
    kind: 'exits',
    check: (_, out) => {
      for (const pairing of ['engine ↔ engine \\(noble\\)', 'engine ↔ engine \\(node:crypto\\)', 'node:tls → engine bank \\(noble\\)', 'engine \\(noble\\) → node:tls bank', 'node:tls ↔ node:tls'])
        expect(out).toMatch(new RegExp(`^\\| ${pairing} \\| [\\d.]+ \\| \\d+ \\| [\\d.]+ \\| [\\d.]+ × \\|$`, 'm'));
    },
  },
  'npx tsx test/bench/load.ts --rooms 2 --seconds 3 --warmup 1 --pace bots': {
    kind: 'exits',
    check: (_, out) => {
      expect(out).toMatch(/^2 rooms \/ 8 players on 1 process\(es\): server CPU [\d.]+% of one core in all .* action→update p50 [\d.]+ ms, p99 [\d.]+ ms over \d+ actions/m);
      expect(out).toMatch(/"errors": \{\}/);
    },
  },
  'npx tsx test/bench/bundle-size.ts': {
    kind: 'exits',
    check: (_, out) => {
      expect(out).toMatch(/^chunk +raw KB +gzip KB +loaded$/m);
      expect(out).toMatch(/^assets\/startNetworkView-[\w-]+\.js +[\d.]+ +[\d.]+ +first round \(Phaser\)$/m);
      expect(out).toMatch(/^all JavaScript: [\d.]+ KB gzip \(target ≤ 450 KB\)$/m);
    },
  },

  // README: Tools; docs/tls-cli.md.
  'npm run tls -- serve --level 4 --port 8443 --dir heist-tls': {
    kind: 'keepsRunning',
    port: 8443,
    ready: /^wrote heist-tls\/root\.pem, heist-tls\/bank\.pem; key log in heist-tls\/keylog\.txt$/m,
    check: (s, out) => {
      expect(out).toMatch(/^serving https:\/\/bank\.example:8443\/ \(level 4: TLS 1\.2, TLS_RSA_WITH_AES_128_GCM_SHA256\)$/m);
      for (const f of ['root.pem', 'bank.pem']) expect(fs.readFileSync(path.join(s.dir, 'heist-tls', f), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    },
  },
  'npm run tls -- connect --level 4 --host 127.0.0.1 --port 8443 --name bank.example --ca heist-tls/root.pem': {
    kind: 'exits',
    check: (_, out) => expectVisitedBank(out),
  },
  'npm run tls -- connect --level 4 --host 127.0.0.1 --port 8443 --name bank.example --ca heist-tls/root.pem --keylog client-keylog.txt': {
    kind: 'exits',
    check: (s, out) => {
      expectVisitedBank(out);
      // The browser's key log (the encrypted pre-master secret, then the master secret, as OpenSSL's
      // client writes them); its master secret is the one the bank wrote for the same session.
      const browser = fs.readFileSync(path.join(s.dir, 'client-keylog.txt'), 'utf8').trim().split('\n');
      expect(browser).toEqual([expect.stringMatching(/^RSA [0-9a-f]{16} [0-9a-f]{96}$/), expect.stringMatching(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/)]);
      expect(fs.readFileSync(path.join(s.dir, 'heist-tls/keylog.txt'), 'utf8').split('\n')).toContain(browser[1]);
    },
  },
  'openssl s_client -connect 127.0.0.1:8443 -servername bank.example -CAfile heist-tls/root.pem -verify_return_error': {
    kind: 'exits',
    needs: 'openssl',
    check: (_, out) => {
      expect(out).toMatch(/^New, TLSv1\.2, Cipher is AES128-GCM-SHA256$/m);
      expect(out).toMatch(/^ {4}Verify return code: 0 \(ok\)$/m);
    },
  },
  'curl --cacert heist-tls/root.pem --resolve bank.example:8443:127.0.0.1 https://bank.example:8443/': {
    kind: 'exits',
    needs: 'curl',
    check: (_, out) => expect(out).toMatch(/^Heist Bank: bank\.example\nThis page came over TLS 1\.2, TLS_RSA_WITH_AES_128_GCM_SHA256, served by the Handshake Heist engine\.$/m),
  },

  // README: Tools; docs/captures.md.
  'npm run capture -- --level 4 --attack passive --seed lesson-1 --out heist-capture': { kind: 'exits', check: (s, out) => expectCaptureFiles(s, out, 'heist-capture') },
  'npm run capture -- --level 4 --attack passive --seed lesson-1 --out out/': { kind: 'exits', check: (s, out) => expectCaptureFiles(s, out, 'out') },
  'tshark -r out/round.pcapng -Y http': {
    kind: 'exits',
    needs: 'tshark',
    check: (_, out) => expect(out).toMatch(/198\.51\.100\.23 → 203\.0\.113\.10 HTTP \d+ POST \/transfer HTTP\/1\.1/),
  },
  [`tshark -r out/attacker.pcapng -o 'uat:rsa_keys:"out/bank-rsa-key.pem",""' -Y http`]: {
    kind: 'exits',
    needs: 'tshark',
    check: (s, out) => {
      expect(out).toMatch(/198\.51\.100\.23 → 203\.0\.113\.10 HTTP \d+ POST \/transfer HTTP\/1\.1/);
      // The leaked key opens it: without the key, tshark sees no HTTP in the attacker's recording.
      const without = spawnSync('tshark', ['-r', 'out/attacker.pcapng', '-Y', 'http'], { cwd: s.dir, encoding: 'utf8' });
      expect(without.stdout).not.toMatch(/POST/);
    },
  },
  'openssl verify -attime 1800000000 -CAfile out/root.pem out/bank.pem': { kind: 'exits', needs: 'openssl', check: (_, out) => expect(out).toBe('out/bank.pem: OK\n') },

  // docs/deploy.md: a district on Docker Compose.
  'export HEIST_HOST=heist.district.example': { kind: 'exports', values: { HEIST_HOST: 'heist.district.example' } },
  'export POSTGRES_PASSWORD="$(openssl rand -hex 24)"': { kind: 'exports', values: { POSTGRES_PASSWORD: /^[0-9a-f]{48}$/ } },
  'docker compose -f deploy/compose.yaml up -d --build': {
    kind: 'notRun',
    why: 'it needs Docker (a daemon run as root)',
    coveredBy: ['test/server/deploy.test.ts', 'test/server/deploy-nginx.test.ts'],
  },
  'docker compose -f deploy/compose.yaml ps': { kind: 'notRun', why: 'it needs Docker (a daemon run as root)', coveredBy: ['test/server/deploy.test.ts'] },
  'curl https://$HEIST_HOST/api/health': {
    kind: 'notRun',
    why: 'it needs the deployment itself, under a real name with its certificate',
    coveredBy: ['test/server/deploy-nginx.test.ts'], // /api/health through nginx's TLS, in front of real processes
  },

  // docs/server.md.
  'npm start': { kind: 'serves', port: GAME, builds: true },
  'npm start -w server': { kind: 'serves', port: GAME },
};

// ── Checks ───────────────────────────────────────────────────────────────────────────────────

/** The game's page: its HTML, and the script it loads (the client was built and is served). */
async function expectGamePage(base: string): Promise<void> {
  const page = await fetch(`${base}/`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toMatch(/<title>Handshake Heist<\/title>/);
  const script = /<script type="module" crossorigin src="\.\/(assets\/index-[\w-]+\.js)"><\/script>/.exec(html)?.[1];
  expect(script, html).toBeDefined();
  const js = await fetch(`${base}/${script}`);
  expect(js.status).toBe(200);
  expect(js.headers.get('content-type')).toMatch(/javascript/);
}

function expectVisitedBank(out: string): void {
  expect(out).not.toMatch(/^(fail|FAIL)/m);
  expect(out).toMatch(/^pass {2}Finished MAC matches the transcript: /m);
  expect(out).toMatch(/\nHTTP 200\nHeist Bank: bank\.example\nThis page came over TLS 1\.2, TLS_RSA_WITH_AES_128_GCM_SHA256, served by the Handshake Heist engine\.\n/);
}

function expectCaptureFiles(s: Session, out: string, folder: string): void {
  expect(out).toMatch(/^Level 4, attacker passive, seed "lesson-1": /m);
  expect(fs.readdirSync(path.join(s.dir, folder)).sort()).toEqual(['attacker.pcapng', 'bank-rsa-key.pem', 'bank.pem', 'keylog.txt', 'root.pem', 'round.pcapng']);
  // pcapng's Section Header Block.
  expect(fs.readFileSync(path.join(s.dir, folder, 'round.pcapng')).subarray(0, 4)).toEqual(Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]));
}

/**
 * "Open http://localhost:2567/: rooms land on either process, and a code joins its room wherever
 * it runs" — and ALLOWED_ORIGINS lets the page served by one process use the other.
 */
async function twoProcessesShareTheGame(s: Session): Promise<void> {
  await expectGamePage(`http://localhost:${GAME}`);
  for (const port of [GAME, SECOND_PROCESS]) {
    const health = (await (await fetch(`http://localhost:${port}/api/health`)).json()) as { store: string; cluster: string };
    expect(health).toMatchObject({ store: 'postgres', cluster: 'redis' });
  }
  const redis = new Redis(s.redis!.url);
  const rooms: Room[] = [];
  try {
    for (const nickname of ['Ada', 'Bea']) rooms.push(await new Client(`ws://localhost:${GAME}`).create('game', { nickname }));
    const hosts = await Promise.all(rooms.map(async (r) => (JSON.parse((await redis.hget('roomcaches', r.roomId))!) as { publicAddress: string }).publicAddress));
    expect(hosts.sort()).toEqual([`localhost:${GAME}`, `localhost:${SECOND_PROCESS}`]);
    for (const [i, room] of rooms.entries()) {
      const other = hosts[i] === `localhost:${GAME}` ? SECOND_PROCESS : GAME;
      const joined = await new Client(`ws://localhost:${other}`).joinById(room.roomId, { nickname: `Cyd${i}` });
      await until('both in the room', () => joined.state.members?.size === 2);
      await joined.leave(true);
    }
    // The page on 2567 asking 2568 for a seat: allowed by ALLOWED_ORIGINS, with CORS; a page elsewhere is not.
    const ask = (origin: string) =>
      fetch(`http://localhost:${SECOND_PROCESS}/matchmake/joinById/${rooms[0]!.roomId}`, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ nickname: 'Dov' }),
      });
    const allowed = await ask(`http://localhost:${GAME}`);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(`http://localhost:${GAME}`);
    expect((await allowed.json()) as object).toHaveProperty('sessionId');
    const foreign = await ask('http://localhost:8080');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(JSON.stringify(await foreign.json())).toMatch(/another site|other site|does not accept/i);
  } finally {
    await Promise.all(rooms.map((r) => r.leave(true).catch(() => undefined)));
    redis.disconnect();
  }
}

// ── Running them ─────────────────────────────────────────────────────────────────────────────

/** Wait for a command to end; its output if it exited 0, else a failure showing it. */
async function finished(command: Command, timeoutMs = 180_000): Promise<string> {
  const code = await Promise.race([command.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  if (code === 'timeout') {
    command.signalGroup('SIGKILL');
    throw new Error(`\`${command.line}\` still running after ${timeoutMs / 1000} s:\n${command.text().slice(-4000)}`);
  }
  await command.ended;
  if (code !== 0) throw new Error(`\`${command.line}\` exited with ${code}:\n${command.text().slice(-4000)}`);
  return command.text();
}

/** Poll `url` until it answers; fail at once if the command ends first. */
async function answering(command: Command, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void command.ended.then(() => (ended = true));
  for (;;) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (ended) throw new Error(`\`${command.line}\` ended without serving ${url}:\n${command.text().slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`\`${command.line}\` did not serve ${url} within ${timeoutMs / 1000} s:\n${command.text().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function portTaken(port: number): Promise<boolean> {
  for (const host of ['0.0.0.0', '::']) {
    const taken = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE'));
      probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
    });
    if (taken) return true;
  }
  return false;
}

/** Free the ports a command needs: stop the docs' own servers there; any other holder fails it. */
async function claim(s: Session, shown: ShownCommand, ports: number[]): Promise<void> {
  for (const port of ports) {
    const holder = s.holders.get(port);
    if (holder) await stop(s, holder.command);
    if (await portTaken(port)) {
      const who = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' }).stdout?.trim();
      throw new Error(
        `port ${port} is in use by another program on this machine${who ? ` (${who})` : ''}: ${shown.file}:${shown.line} \`${shown.command}\` needs it, as the docs say. ` +
          'Stop what holds it (or run the suite where it is free: CI is a fresh machine).',
      );
    }
  }
}

async function stop(s: Session, command: Command): Promise<void> {
  const entries = [...s.holders].filter(([, h]) => h.command === command);
  for (const [port] of entries) s.holders.delete(port);
  await command.stop(entries[0]?.[1].stopWith ?? 'SIGINT');
}

/** Everything the commands left running, stopped as their reader would stop them. */
async function stopAll(s: Session): Promise<void> {
  for (const command of new Set([...s.holders.values()].map((h) => h.command))) await stop(s, command);
  await Promise.all([s.redis?.stop(), s.postgres?.stop()]);
  s.redis = s.postgres = undefined;
}

function lanAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

/** Why the machine cannot run what the effect needs, or undefined when it can. */
function missingFor(needs: string | undefined): string | undefined {
  if (!needs) return undefined;
  if (needs === SERVICES) return servicesMissing();
  return spawnSync('sh', ['-c', `command -v ${needs}`]).status === 0 ? undefined : `${needs} is not installed (.ci/run installs it)`;
}

async function run(s: Session, shown: ShownCommand, effect: Effect, ctx: TestContext): Promise<void> {
  const missing = missingFor(effect.needs);
  if (missing) ctx.skip(missing);
  // A server the same command started earlier (another document shows it too) and that still
  // runs: running it again would only find its port taken. Its effect is checked again.
  if (effect.kind === 'serves' || effect.kind === 'keepsRunning') {
    const earlier = s.holders.get(effect.port);
    if (earlier && earlier.shown.command === shown.command && earlier.command.running()) {
      await ctx.annotate(`still running since ${earlier.shown.file}:${earlier.shown.line}, which started it`);
      if (effect.kind === 'serves') await expectGamePage(`http://localhost:${effect.port}`);
      else effect.check?.(s, earlier.command.text());
      return;
    }
  }
  // `npm ci` once per copy, or not at all where the project's install is shared (see the header).
  const line = s.installed ? shown.written.replace(/^npm ci && /, '') : shown.written;
  if (line !== shown.written) await ctx.annotate('`npm ci` not run again: the copy has its install');
  if (/^npm ci && /.test(shown.written)) s.installed = true;
  const bash = () => runCommand('bash', ['-c', line], { cwd: s.dir, env: s.env, label: line });
  switch (effect.kind) {
    case 'notRun': {
      for (const file of effect.coveredBy) expect(fs.existsSync(path.join(root, file)), `${file}, named as covering \`${shown.command}\``).toBe(true);
      await ctx.annotate(`not run: ${effect.why}; covered by ${effect.coveredBy.join(', ')}`);
      await claim(s, shown, effect.ports ?? []);
      await effect.standIn?.(s, shown);
      return;
    }
    case 'exports': {
      const envFile = path.join(s.dir, '.env-after-command');
      const command = runCommand('bash', ['-c', `${line}\nenv -0 > '${envFile}'`], { cwd: s.dir, env: s.env, label: line });
      await finished(command);
      const after = Object.fromEntries(
        fs
          .readFileSync(envFile, 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      fs.rmSync(envFile);
      for (const name of ['_', 'SHLVL', 'PWD', 'OLDPWD']) delete after[name];
      for (const [name, value] of Object.entries(effect.values)) expect(after[name], name).toMatch(typeof value === 'string' ? new RegExp(`^${escape(value)}$`) : value);
      s.env = after;
      return;
    }
    case 'exits': {
      const output = await finished(bash(), effect.timeoutMs);
      await effect.check(s, output);
      return;
    }
    case 'keepsRunning': {
      await claim(s, shown, [effect.port]);
      const command = bash();
      s.holders.set(effect.port, { command, stopWith: 'SIGINT', shown });
      await until(`\`${line}\` ready`, () => effect.ready.test(command.text()) || !command.running(), 120_000);
      expect(command.running(), command.text()).toBe(true);
      effect.check?.(s, command.text());
      return;
    }
    case 'serves': {
      await claim(s, shown, [effect.port]);
      const command = bash();
      s.holders.set(effect.port, { command, stopWith: 'SIGINT', shown });
      const base = `http://localhost:${effect.port}`;
      await answering(command, `${base}/`, effect.timeoutMs ?? 120_000);
      await expectGamePage(base);
      if (effect.builds) {
        const sources = Math.max(...['client/src', 'shared/src', 'client/index.html'].map((p) => newestMtime(path.join(s.dir, p))));
        expect(fs.statSync(path.join(s.dir, 'client/dist/index.html')).mtimeMs, 'the page built after its newest source').toBeGreaterThan(sources);
      }
      if (effect.everyInterface) {
        // Students reach it by the laptop's address, which the server lists for the teacher.
        const lan = lanAddress();
        if (lan) {
          await expectGamePage(`http://${lan}:${effect.port}`);
          const listed = (await (await fetch(`${base}/api/addresses`)).json()) as { urls: string[] };
          expect(listed.urls).toContain(`http://${lan}:${effect.port}/`);
        }
      }
      return;
    }
    case 'servesInBackground': {
      await claim(s, shown, [effect.port]);
      const command = bash();
      s.holders.set(effect.port, { command, stopWith: 'SIGTERM', shown });
      expect(await command.exited, 'the shell returns at once, the server runs on').toBe(0);
      await answering(command, `http://localhost:${effect.port}/api/health`, 120_000);
      await effect.then?.(s);
      return;
    }
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ── The test ─────────────────────────────────────────────────────────────────────────────────

const shown = documents(root).map((file) => ({ file, ...shownCommands(root, file) }));
const allShown = shown.flatMap((d) => d.commands);

describe('the documents', () => {
  it('show commands only in fenced sh blocks (syntax lines and other text in text blocks)', () => {
    expect(shown.flatMap((d) => d.bad).map((b) => `${b.file}:${b.line}: ${b.why}`)).toEqual([]);
  });

  it('show no command this test does not know, and this test knows none they no longer show', () => {
    const unknown = allShown.filter((c) => !(c.command in EFFECTS)).map((c) => `${c.file}:${c.line} \`${c.command}\`: add its expected effect to EFFECTS`);
    const leftOver = Object.keys(EFFECTS)
      .filter((command) => !allShown.some((c) => c.command === command))
      .map((command) => `\`${command}\` is in EFFECTS, but no document shows it`);
    expect([...unknown, ...leftOver]).toEqual([]);
  });
});

describe('every documented command, run as written on a clean copy of the project', () => {
  const session: Session = { dir: '', env: terminalEnv(), installed: false, holders: new Map() };
  /** `npm ci` failed: nothing after it can run. */
  let notInstalled: string | undefined;

  beforeAll(() => {
    const inGit = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' });
    if (inGit.stdout?.trim() !== 'true') throw new Error('the documented commands run on a copy of the files git tracks: run the suite from a git clone of the project');
    session.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-docs-'));
    const tracked = execFileSync('git', ['ls-files', '-z', '--cached'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f && fs.existsSync(path.join(root, f)));
    for (const file of tracked) fs.cpSync(path.join(root, file), path.join(session.dir, file), { verbatimSymlinks: true, preserveTimestamps: true });
    // The project's own install, when it is exactly what `npm ci` makes of this lockfile (see
    // support/installed.ts), is shared by hard links instead of installing again.
    const notShared = whyNotReusable(root);
    if (notShared) console.info(`documented commands: \`npm ci\` runs in the copy: ${notShared}`);
    else {
      for (const folder of nodeModulesFolders(root)) {
        const [from, to] = [path.join(root, folder), path.join(session.dir, folder)];
        try {
          execFileSync('cp', ['-al', from, to], { stdio: 'pipe' });
        } catch {
          fs.rmSync(to, { recursive: true, force: true });
          execFileSync('cp', ['-a', from, to]); // another filesystem: hard links cannot cross it
        }
        // Build caches are written in place: the copy starts without them.
        for (const cache of ['.vite', '.vite-temp', '.cache']) fs.rmSync(path.join(session.dir, folder, cache), { recursive: true, force: true });
      }
      session.installed = true;
    }
  });

  afterAll(async () => {
    await stopAll(session);
    if (session.dir) fs.rmSync(session.dir, { recursive: true, force: true });
  });

  for (const { file, commands } of shown) {
    for (const [i, c] of commands.entries()) {
      const effect = EFFECTS[c.command];
      const timeout = (effect && 'timeoutMs' in effect ? effect.timeoutMs : undefined) ?? 240_000;
      it(`${file}:${c.line} ${c.written}`, async (ctx) => {
        try {
          if (!effect) throw new Error(`EFFECTS does not know \`${c.command}\`: say what it must do`);
          if (notInstalled) throw new Error(`not run: ${notInstalled} failed`);
          const installs = !session.installed && /^npm ci && /.test(c.written);
          try {
            await run(session, c, effect, ctx);
          } catch (e) {
            if (installs && (e as { code?: string }).code !== 'VITEST_PENDING') notInstalled = `${c.file}:${c.line} \`${c.command}\``;
            throw e;
          }
        } finally {
          // The next document is read in a new terminal (its servers keep running until a
          // command needs their port, or the end).
          if (i === commands.length - 1) session.env = terminalEnv();
        }
      }, timeout);
    }
  }
});
