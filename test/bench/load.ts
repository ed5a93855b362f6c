/**
 * Server load benchmark (not a test): starts the real server (server/src/main.ts) as its own
 * process, opens N game rooms of four bot-driven colyseus.js clients each over real
 * websockets, plays rounds continuously, and prints the server's CPU and memory, the rounds
 * finished a second, and the p50/p99 action-to-update latency (action sent → next `view`
 * received).
 *
 *   npx tsx test/bench/load.ts [--rooms 250] [--seconds 120] [--warmup 90] [--pace class|bots] [--think 3000-12000] [--debrief 60] [--processes N] [--browser] [--server-log FILE]
 *
 * --pace: how fast the simulated people play (docs/benchmarks.md, "How fast a class plays").
 * `class` (the default): each move 3-12 s after the view that prompts it, the next round 60 s
 * after a result (the debrief), each room's first round at a random moment of the first 60 s
 * (the classes on a server do not all start in the same second); 90 s of warm-up, 120 s measured.
 * `bots`: each move 0.6-1.5 s after the view (the pause the server's own bots take), the next
 * round 2 s after a result, every room at once, 10 s of warm-up and 60 s measured: the script's
 * pace until 2026-12-05, rounds of ~10 s, many times a class's.
 * --think MIN-MAX (ms) and --debrief S set either by hand.
 *
 * --processes N: N server processes sharing a redis-server and a PostgreSQL (started here, from
 * the machine's Debian packages), each with its own port and PUBLIC_ADDRESS, as deploy/ runs
 * them. Every matchmaking request goes to the next process in turn (as a load balancer would
 * send it); the rooms land where Colyseus' placement puts them. It reports each process's CPU,
 * RSS and rooms, and the matchmaking latency (create / joinById → the room's websocket
 * joined), while rooms open and, during the measurement, from a prober that joins a random room
 * through a random process twice a second and leaves again.
 *
 * --browser: a headless Chromium on the same machine watches a demo room of the server (four
 * bots playing round after round, the network view drawn by Phaser with software WebGL), as the
 * teacher's own browser on the projector would; its CPU is reported. Needs the built client
 * (built here first if client/dist has none).
 *
 * A join that fails (while the rooms open, or the prober's) is counted with its reason, and the
 * run goes on: a room whose host could not create it is not opened, a seat whose player could
 * not join is played by the server's bot. If the script fails or is interrupted, it stops the
 * servers, Redis and PostgreSQL it started.
 *
 * The load clients run in this process, on the same machine as the servers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client, type Room } from 'colyseus.js';
import type { Browser } from 'playwright-core';
import { botAction, seededRng, type BotBehaviours, type JsonPatchOperation, type Level, type Role, type RoleView } from '@heist/shared';
import { ViewStream } from '../../client/src/net/viewStream.ts';
import { spawnServer, type ServerProcess } from '../server/process.ts';
import { freePort, freshDatabase, startPostgres, startRedis, type Service } from '../server/support/services.ts';
import { launchChromium } from '../browser/support/chromium.ts';

/** `--name value` pairs, and flags without a value (`--browser`) anywhere among them. */
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const value = process.argv[i + 1];
  const flag = value === undefined || value.startsWith('--');
  args.set(process.argv[i]!.replace(/^--/, ''), flag ? '' : value);
  if (!flag) i++;
}
const ROOMS = Number(args.get('rooms') ?? 250);
const PACES = {
  class: { think: '3000-12000', debriefSeconds: 60, staggerSeconds: 60, warmupSeconds: 90, seconds: 120 },
  bots: { think: '600-1500', debriefSeconds: 2, staggerSeconds: 0, warmupSeconds: 10, seconds: 60 },
} as const;
const PACE = (args.get('pace') ?? 'class') as keyof typeof PACES;
if (!(PACE in PACES)) throw new Error(`--pace ${PACE}: class or bots`);
const [THINK_MIN, THINK_MAX] = (args.get('think') ?? PACES[PACE].think).split('-').map(Number) as [number, number];
const DEBRIEF_MS = 1000 * Number(args.get('debrief') ?? PACES[PACE].debriefSeconds);
const WARMUP_SECONDS = Number(args.get('warmup') ?? PACES[PACE].warmupSeconds);
const SECONDS = Number(args.get('seconds') ?? PACES[PACE].seconds);
/** Every room has started playing by the end of the warm-up. */
const STAGGER_MS = 1000 * Math.min(PACES[PACE].staggerSeconds, WARMUP_SECONDS);
const PROCESSES = args.has('processes') ? Number(args.get('processes')) : undefined;
const BROWSER = args.has('browser');
if (BROWSER) args.delete('browser');
const ROLES_IN_ORDER: Role[] = ['client', 'server', 'ca', 'attacker'];
const PLAN: { level: Level; bots: BotBehaviours }[] = [
  { level: 1, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' } },
  { level: 2, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' } },
  { level: 3, bots: { client: 'careless', server: 'standard', ca: 'strict', attacker: 'keySubstitution' } },
  { level: 4, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } },
  { level: 6, bots: { client: 'careless', server: 'standard', ca: 'strict', attacker: 'keySubstitution' } },
  { level: 5, bots: { client: 'careful', server: 'standard', ca: 'sloppy', attacker: 'tamper' } },
];

const latencies: number[] = [];
/** Host's 'start' → the new round's first view: what a round waits for its keys (levels 4, 4e, 5) shows here. */
const startWaits: number[] = [];
/** Host's 'start' → the round's result on the host's screen: how long a round is played. */
const roundLengths: number[] = [];
let measuring = false;
let rounds = 0;
let actionsSent = 0;
const errors = new Map<string, number>();
let viewBytes = 0;

/** Per host: whether its room has stopped playing (a result on screen and no next round coming). */
const hostStalled: (() => boolean)[] = [];
/** Per host: note that its first round was started. */
const startFirst = new Map<Room, () => void>();

/** One load client: a person in one seat, thinking THINK_MIN-THINK_MAX ms before each move. */
function drive(room: Room, role: Role, roomIndex: number, isHost: boolean, rng = seededRng(`load-${roomIndex}-${role}`)): void {
  let view: RoleView | undefined;
  let pendingSince: number | undefined;
  let startedAt: number | undefined;
  let thinking: NodeJS.Timeout | undefined;
  /** The host's next round, DEBRIEF_MS after a result: a timer of its own, so that a move still being thought about cannot swallow it. */
  let restarting: NodeJS.Timeout | undefined;
  /** When the host last sent 'start' (for the round's length). */
  let roundSentAt: number | undefined;
  let planIndex = roomIndex % PLAN.length;
  const stream = new ViewStream<RoleView>();
  if (isHost) {
    hostStalled.push(() => view?.result !== undefined && restarting === undefined && startedAt === undefined);
    // The room's first round, which openRoom starts.
    startFirst.set(room, () => (startedAt = roundSentAt = performance.now()));
  }
  const onView = (v: RoleView | undefined) => {
    if (!v) return void room.send('resync', {});
    const now = performance.now();
    if (pendingSince !== undefined) {
      if (measuring) latencies.push(now - pendingSince);
      pendingSince = undefined;
    }
    view = v;
    if (startedAt !== undefined && !v.result) {
      if (measuring) startWaits.push(now - startedAt);
      startedAt = undefined;
    }
    if (v.result) {
      if (isHost && roundSentAt !== undefined) {
        // A round finished (counted once, on the host's screen).
        if (measuring) {
          rounds++;
          roundLengths.push(now - roundSentAt);
        }
        roundSentAt = undefined;
      }
      // The round is over: no move to make. (A host whose result came while it thought about a move
      // used to skip the next round, and its room stopped playing: 29 of 30 rooms within a minute.)
      clearTimeout(thinking);
      thinking = undefined;
      if (isHost && !restarting) {
        // Next round after a short debrief.
        restarting = setTimeout(() => {
          restarting = undefined;
          planIndex = (planIndex + 1) % PLAN.length;
          room.send('configure', PLAN[planIndex]);
          startedAt = roundSentAt = performance.now();
          room.send('start');
        }, DEBRIEF_MS);
      }
      return;
    }
    if (thinking || v.phase === 'over') return; // people prepare (and say Ready) too
    thinking = setTimeout(() => {
      thinking = undefined;
      if (!view || view.phase === 'over') return;
      // The behaviours of the round being played: only the host moves through the plan, the others read the level from their view.
      const action = botAction(view, (PLAN.find((p) => p.level === view!.level) ?? PLAN[planIndex]!).bots, rng);
      if (!action) return;
      pendingSince = performance.now();
      actionsSent++;
      room.send('action', action);
    }, THINK_MIN + rng.int(THINK_MAX - THINK_MIN + 1));
  };
  room.onMessage('view', (v: RoleView) => onView(stream.whole(v)));
  room.onMessage('viewPatch', ({ ops }: { ops: JsonPatchOperation[] }) => onView(stream.patch(ops)));
  room.onMessage('error', (e: { code: string; message: string }) => {
    if (measuring) errors.set(`${role}: ${e.code} ${e.message}`, (errors.get(`${role}: ${e.code} ${e.message}`) ?? 0) + 1);
    pendingSince = undefined;
  });
  room.onMessage('*', () => undefined);
  (room.connection.transport as unknown as { ws: { addEventListener(t: string, f: (e: { data: ArrayBuffer }) => void): void } }).ws.addEventListener(
    'message',
    (e) => (viewBytes += e.data.byteLength),
  );
}

/** Matchmaking latencies (ms): while the rooms open, and from the prober during the measurement. */
const joinsOpening: number[] = [];
const joinsMeasured: number[] = [];

/** Joins that failed, by reason: while the rooms open, and the prober's during the measurement. */
const failedOpening = new Map<string, number>();
const failedMeasured = new Map<string, number>();

/** A matchmaking call through the next process in turn, timed to the room's websocket joined; a failure is counted and gives undefined. */
async function timed<T>(into: number[], failed: Map<string, number>, call: () => Promise<T>): Promise<T | undefined> {
  const t = performance.now();
  try {
    const result = await call();
    into.push(performance.now() - t);
    return result;
  } catch (e) {
    const reason = (e as Error)?.message ?? String(e);
    failed.set(reason, (failed.get(reason) ?? 0) + 1);
    return undefined;
  }
}

/** A room of four players, as many as could join (the server's bots play the other seats); none if its host could not create it. */
async function openRoom(index: number): Promise<Room[]> {
  const host = await timed(joinsOpening, failedOpening, () => new Client(nextUrl()).create('game', { nickname: `h${index}` }));
  if (!host) return [];
  const seats: (Room | undefined)[] = [host];
  for (let i = 1; i < 4; i++) seats.push(await timed(joinsOpening, failedOpening, () => new Client(nextUrl()).joinById(host.roomId, { nickname: `p${index}-${i}` })));
  seats.forEach((r, i) => r?.send('chooseSeat', { role: ROLES_IN_ORDER[i] }));
  seats.forEach((r, i) => r && drive(r, ROLES_IN_ORDER[i]!, index, i === 0));
  await new Promise((r) => setTimeout(r, 100));
  host.send('configure', PLAN[index % PLAN.length]);
  // At the class pace the rooms' first rounds are spread over the first minute; the rooms open meanwhile.
  setTimeout(() => {
    startFirst.get(host)?.();
    host.send('start');
  }, seededRng(`first-${index}`).int(STAGGER_MS + 1));
  return seats.filter((r): r is Room => r !== undefined);
}

/** The process and its descendants (tsx runs the server in a child node process). */
function tree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    // gone meanwhile (a browser's helper processes come and go)
  }
  return [pid, ...children.flatMap(tree)];
}

/** utime+stime in seconds and resident memory in MB of the server's process tree (Linux /proc). */
function sample(pid: number): { cpu: number; rssMb: number } {
  let cpu = 0;
  let rssMb = 0;
  for (const p of tree(pid)) {
    if (!fs.existsSync(`/proc/${p}/stat`)) continue;
    const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu += (Number(fields[11]) + Number(fields[12])) / 100;
    const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
    rssMb += rss ? Number(rss[1]) / 1024 : 0;
  }
  return { cpu, rssMb };
}

/** utime+stime in seconds and the nice value of each thread of a process (/proc/PID/task): its main thread (tid = pid), V8's and libuv's threads, workers. */
function threadCpu(pid: number): Map<number, { cpu: number; nice: number }> {
  const threads = new Map<number, { cpu: number; nice: number }>();
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), { cpu: (Number(fields[11]) + Number(fields[12])) / 100, nice: Number(fields[16]) });
    }
  } catch {
    // the process is gone
  }
  return threads;
}

/** CPU seconds between two samples: the main thread, threads at low priority (the RSA key threads), and the others. */
function threadSplit(pid: number, from: Map<number, { cpu: number; nice: number }>, to: Map<number, { cpu: number; nice: number }>) {
  const split = { main: 0, lowPriority: 0, other: 0 };
  for (const [tid, t] of to) {
    const used = t.cpu - (from.get(tid)?.cpu ?? 0);
    if (tid === pid) split.main += used;
    else if (t.nice > 0) split.lowPriority += used;
    else split.other += used;
  }
  return split;
}

/**
 * The main thread's time running and time waiting, ready to run, for a core (Linux schedstat, ns):
 * how much of the event loop's delay is other work on the machine rather than the server's own.
 */
function mainThreadSchedule(pid: number): { runMs: number; waitMs: number } {
  try {
    const [run, wait] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { runMs: run! / 1e6, waitMs: wait! / 1e6 };
  } catch {
    return { runMs: NaN, waitMs: NaN };
  }
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const all: Room[] = [];
const baseEnv = {
  JOINS_PER_MINUTE: '1000000',
  // Every simulated player comes from 127.0.0.1: lift the per-address caps meant for one school.
  SOCKETS_PER_ADDRESS: '1000000',
  RESERVATIONS_PER_ADDRESS: '1000000',
  ROOMS_PER_ADDRESS: '1000000',
  STATS_SECONDS: '5',
};
const nodeArgs = process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean);
const services: Service[] = [];
const servers: ServerProcess[] = [];
let browser: Browser | undefined;
/**
 * However the script ends (an error, Ctrl-C, the end), nothing it started is left running: every
 * process below this one gets SIGTERM (servers stop by themselves; Redis, PostgreSQL and Chromium
 * too), a server that never finished starting included. Synchronous, so that it also runs on
 * 'exit', after an uncaught error.
 */
let stopped = false;
function stopEverythingNow(): void {
  if (stopped) return;
  stopped = true;
  for (const pid of tree(process.pid)) {
    if (pid === process.pid) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
}
/** The Chromium playwright started: our child process running the chromium binary. */
function chromiumChild(): number | undefined {
  return tree(process.pid).find((pid) => pid !== process.pid && /chrom/i.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8')));
}
let browserPid: number | undefined;
process.on('exit', stopEverythingNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    console.error(`${signal}: stopping the servers and services this script started`);
    process.exit(130);
  });
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
if (BROWSER && !fs.existsSync(path.join(root, 'client/dist/index.html'))) {
  console.log('building the client for the browser (npm run build -w client)…');
  if (spawnSync('npm', ['run', 'build', '-w', 'client'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('the client did not build');
}
const loadAverageAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
if (PROCESSES === undefined) {
  const dbPath = path.join(fs.mkdtempSync(path.join(args.get('db-dir') ?? os.tmpdir(), 'heist-load-')), 'heist.db');
  servers.push(await spawnServer({ ...baseEnv, DB_PATH: dbPath }, nodeArgs));
} else {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  if ('skipped' in redis || 'skipped' in postgres) throw new Error(`--processes needs redis-server and PostgreSQL: ${'skipped' in redis ? redis.skipped : ''} ${'skipped' in postgres ? postgres.skipped : ''}`);
  services.push(redis, postgres);
  const databaseUrl = await freshDatabase(postgres.url, 'load');
  const ports: number[] = [];
  for (let i = 0; i < PROCESSES; i++) ports.push(await freePort());
  for (const port of ports)
    servers.push(await spawnServer({ ...baseEnv, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, REDIS_URL: redis.url, DATABASE_URL: databaseUrl, DB_PATH: '/nonexistent/unused.db' }, nodeArgs));
}
for (const server of servers)
  void server.exited.then((code) => {
    if (measuring || all.length > 0) console.error(`server ${server.port} exited (${code}):\n${server.output.join('').slice(-3000)}`);
  });
const urls = servers.map((s) => `ws://127.0.0.1:${s.port}`);
let turn = 0;
const nextUrl = () => urls[turn++ % urls.length]!;
console.log(`servers ${servers.map((s) => `pid ${s.pid} on port ${s.port}`).join(', ')}${PROCESSES ? ' (Redis + PostgreSQL)' : ' (SQLite)'}; opening ${ROOMS} rooms (${ROOMS * 4} players)…`);

// The teacher's browser on the same machine: a demo room drawn by Phaser (software WebGL), round after round.
if (BROWSER) {
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://127.0.0.1:${servers[0]!.port}/`);
  await page.getByLabel('Your nickname').fill('Projector');
  await page.getByRole('button', { name: 'Watch bots play' }).click();
  await page.getByRole('heading', { name: 'Demo: you see everything, secrets included' }).waitFor();
  browserPid = chromiumChild();
  console.log(`a headless Chromium (pid ${browserPid}) watches a demo room`);
}

const t0 = performance.now();
for (let i = 0; i < ROOMS; i += 10) {
  const batch = await Promise.all(Array.from({ length: Math.min(10, ROOMS - i) }, (_, j) => openRoom(i + j)));
  for (const b of batch) all.push(...b);
}
console.log(`${all.length} players connected in ${((performance.now() - t0) / 1000).toFixed(1)} s${failedOpening.size ? ` (${[...failedOpening.values()].reduce((a, b) => a + b, 0)} joins failed)` : ''}; warming up ${WARMUP_SECONDS} s…`);
if (all.length === 0) throw new Error(`no room could be opened: ${JSON.stringify(Object.fromEntries(failedOpening))}`);
await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));

measuring = true;
const statsFrom = servers.map((s) => s.output.join('').length);
const pids = servers.map((s) => s.pid);
const start = pids.map(sample);
const threadsStart = pids.map(threadCpu);
const scheduleStart = pids.map(mainThreadSchedule);
const browserStart = browserPid ? sample(browserPid) : undefined;
const startAt = performance.now();
const peakRss = start.map((s) => s.rssMb);
const selfStart = process.cpuUsage();
const timer = setInterval(() => pids.forEach((pid, i) => (peakRss[i] = Math.max(peakRss[i]!, sample(pid).rssMb))), 1000);
// The prober: a newcomer joins a random room through the next process, as a spectator, and leaves.
let probing = true;
const probeErrors: string[] = [];
const prober = (async () => {
  const rng = seededRng('prober');
  while (probing) {
    const target = all[rng.int(all.length)]!.roomId;
    try {
      const room = await timed(joinsMeasured, failedMeasured, () => new Client(nextUrl()).joinById(target, { nickname: `probe${rng.int(100000)}` }));
      if (room) {
        room.onMessage('*', () => undefined);
        await room.leave(true);
      }
    } catch (e) {
      probeErrors.push((e as Error).message); // leaving failed
    }
    await new Promise((r) => setTimeout(r, 500));
  }
})();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
probing = false;
await prober;
clearInterval(timer);
measuring = false;
const end = pids.map(sample);
const threadsEnd = pids.map(threadCpu);
const scheduleEnd = pids.map(mainThreadSchedule);
const splits = pids.map((pid, i) => threadSplit(pid, threadsStart[i]!, threadsEnd[i]!));
const browserEnd = browserPid ? sample(browserPid) : undefined;
const elapsed = (performance.now() - startAt) / 1000;
const self = process.cpuUsage(selfStart);

const sorted = [...latencies].sort((a, b) => a - b);
// Each server's own event-loop delay during the window (STATS_SECONDS lines), to tell server
// stalls from load-client stalls: all sit on the same two cores.
const loops = servers.map((server, i) =>
  [...server.output.join('').slice(statsFrom[i]).matchAll(/rooms=(\d+) clients=(\d+) loopDelayP50=[\d.]+ms loopDelayP99=([\d.]+)ms loopDelayMax=([\d.]+)ms(?: loopDelaySamples=(\d+) loopDelayOver=(\S+))?/g)].map((m) => ({
    rooms: Number(m[1]),
    clients: Number(m[2]),
    p99: Number(m[3]),
    max: Number(m[4]),
    samples: Number(m[5] ?? 0),
    // "10ms:0.5%,20ms:0.1%,…": the share of the window's samples delayed more than each limit.
    over: new Map([...(m[6] ?? '').matchAll(/(\d+)ms:([\d.]+)%/g)].map((o) => [Number(o[1]), Number(o[2])])),
  })),
);
/** The share (%) of all the measurement's loop-delay samples above each limit: the windows' shares weighted by their samples. */
function loopDelayOver(windows: (typeof loops)[number]): Record<string, number> | undefined {
  const samples = windows.reduce((a, w) => a + w.samples, 0);
  if (samples === 0) return undefined;
  const limits = [...(windows[0]?.over.keys() ?? [])];
  return Object.fromEntries(limits.map((limit) => [`${limit}ms`, Math.round((1000 * windows.reduce((a, w) => a + w.samples * (w.over.get(limit) ?? 0), 0)) / samples) / 1000]));
}
const round1 = (n: number) => Math.round(n * 10) / 10;
const joinStats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { count: s.length, p50Ms: round1(pct(s, 50)), p99Ms: round1(pct(s, 99)), maxMs: round1(s[s.length - 1] ?? NaN) };
};
const perProcess = servers.map((server, i) => ({
  port: server.port,
  rooms: loops[i]!.at(-1)?.rooms,
  clients: loops[i]!.at(-1)?.clients,
  cpuPercent: round1(((end[i]!.cpu - start[i]!.cpu) / elapsed) * 100),
  mainThreadCpuPercent: round1((splits[i]!.main / elapsed) * 100),
  // Threads at nice > 0: the RSA key threads (crypto/lowPriorityRsaKeys.ts); the others: V8's (GC, compiler), libuv's pool, the SQLite worker.
  lowPriorityThreadsCpuPercent: round1((splits[i]!.lowPriority / elapsed) * 100),
  otherThreadsCpuPercent: round1((splits[i]!.other / elapsed) * 100),
  // Of the time the event loop's thread had work, the share it spent waiting for a core (others' work, or the server's own threads').
  mainThreadWaitingForCorePercent: round1((100 * (scheduleEnd[i]!.waitMs - scheduleStart[i]!.waitMs)) / (scheduleEnd[i]!.runMs - scheduleStart[i]!.runMs + scheduleEnd[i]!.waitMs - scheduleStart[i]!.waitMs)),
  rssMb: Math.round(end[i]!.rssMb),
  peakRssMb: Math.round(peakRss[i]!),
  // The server measures in windows of STATS_SECONDS: the worst window's p99, and the middle window's.
  loopDelayP99Ms: Math.max(...loops[i]!.map((l) => l.p99)),
  loopDelayP99MedianWindowMs: pct(loops[i]!.map((l) => l.p99).sort((a, b) => a - b), 50),
  loopDelayMaxMs: Math.max(...loops[i]!.map((l) => l.max)),
  // Over the whole measurement: the share of samples delayed more than 10, 20, 50, 100 ms (loop p99 ≤ 20 ms ⇔ the 20 ms share ≤ 1 %).
  loopDelayOverPercent: loopDelayOver(loops[i]!),
}));
const report = {
  rooms: ROOMS,
  players: all.length,
  processes: servers.length,
  engine: PROCESSES === undefined ? 'sqlite' : 'redis+postgres',
  seconds: Math.round(elapsed),
  cores: os.cpus().length,
  loadAverage1mAtStart: loadAverageAtStart,
  loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  browserCpuPercent: browserStart && browserEnd ? round1(((browserEnd.cpu - browserStart.cpu) / elapsed) * 100) : undefined,
  serverCpuPercent: round1(perProcess.reduce((a, p) => a + p.cpuPercent, 0)),
  serverMainThreadCpuPercent: round1(perProcess.reduce((a, p) => a + p.mainThreadCpuPercent, 0)),
  serverMainThreadWaitingForCorePercent: Math.max(...perProcess.map((p) => p.mainThreadWaitingForCorePercent)),
  // CPU seconds per round finished: steadier than the wall-clock tail on a shared machine.
  serverCpuMsPerRound: rounds ? round1((1000 * pids.reduce((a, _, i) => a + end[i]!.cpu - start[i]!.cpu, 0)) / rounds) : null,
  serverMainThreadCpuMsPerRound: rounds ? round1((1000 * splits.reduce((a, t) => a + t.main, 0)) / rounds) : null,
  serverRssMb: perProcess.reduce((a, p) => a + p.rssMb, 0),
  perProcess,
  loadClientsCpuPercent: round1(((self.user + self.system) / 1e6 / elapsed) * 100),
  pace: { name: PACE, thinkMs: [THINK_MIN, THINK_MAX], debriefSeconds: DEBRIEF_MS / 1000 },
  actions: sorted.length,
  actionsPerSecond: Math.round(sorted.length / elapsed),
  roundsFinished: rounds,
  roundsPerSecond: Math.round((rounds / elapsed) * 100) / 100,
  // Start sent → result, for rounds that ended during the measurement.
  roundLength: (() => {
    const s = [...roundLengths].sort((a, b) => a - b);
    return { count: s.length, p50Seconds: round1(pct(s, 50) / 1000), p90Seconds: round1(pct(s, 90) / 1000) };
  })(),
  p50Ms: round1(pct(sorted, 50)),
  p99Ms: round1(pct(sorted, 99)),
  maxMs: round1(sorted[sorted.length - 1] ?? NaN),
  roundStart: joinStats(startWaits),
  roomsStalled: hostStalled.filter((stalled) => stalled()).length,
  serverLoopDelayP99Ms: Math.max(...perProcess.map((p) => p.loopDelayP99Ms)),
  serverLoopDelayP99MedianWindowMs: Math.max(...perProcess.map((p) => p.loopDelayP99MedianWindowMs)),
  serverLoopDelayMaxMs: Math.max(...perProcess.map((p) => p.loopDelayMaxMs)),
  // The busiest process's share of loop-delay samples over 20 ms in the whole measurement.
  serverLoopDelayOver20msPercent: Math.max(...perProcess.map((p) => p.loopDelayOverPercent?.['20ms'] ?? NaN)),
  joinWhileOpening: joinStats(joinsOpening),
  joinDuringMeasurement: joinStats(joinsMeasured),
  joinsFailedWhileOpening: Object.fromEntries(failedOpening),
  joinsFailedDuringMeasurement: Object.fromEntries(failedMeasured),
  probeErrors: probeErrors.slice(0, 5),
  errors: Object.fromEntries(errors),
  downstreamKBps: Math.round(viewBytes / 1024 / ((performance.now() - t0) / 1000)),
};
// --server-log FILE: every server's own output (its stats lines, and whatever SERVER_NODE_ARGS made it print, e.g. --trace-gc).
if (args.get('server-log')) fs.writeFileSync(args.get('server-log')!, servers.map((s) => `=== server on port ${s.port}\n${s.output.join('')}`).join('\n'));
console.log(JSON.stringify(report, null, 2));
console.log(
  `\n${report.rooms} rooms / ${report.players} players on ${report.processes} process(es): server CPU ${report.serverCpuPercent}% of one core in all (${perProcess.map((p) => `${p.cpuPercent}%`).join(' + ')}), RSS ${report.serverRssMb} MB, ` +
    `${report.roundsPerSecond} rounds/s${report.serverCpuMsPerRound === null ? '' : ` (${report.serverCpuMsPerRound} ms of server CPU each)`}, ` +
    `action→update p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms over ${report.actions} actions, server loop p99 ${report.serverLoopDelayP99Ms} ms in the worst ${baseEnv.STATS_SECONDS} s, ${report.serverLoopDelayP99MedianWindowMs} ms in the middle one, ${report.serverLoopDelayOver20msPercent}% of it over 20 ms (its thread waited for a core ${report.serverMainThreadWaitingForCorePercent}% of the time it had work); load average ${report.loadAverage1mAtStart} → ${report.loadAverage1m}; join p50 ${report.joinDuringMeasurement.p50Ms} ms, p99 ${report.joinDuringMeasurement.p99Ms} ms`,
);

for (const r of all) r.connection.close();
all.length = 0;
await browser?.close();
for (const server of servers) await server.stop();
for (const service of services) await service.stop();
process.exit(0);
