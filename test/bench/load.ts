/**
 * Server load benchmark (not a test): starts the real server (server/src/main.ts) as its own
 * process, opens N game rooms of four bot-driven colyseus.js clients each over real
 * websockets, plays rounds continuously at a human pace, and prints the server's CPU and
 * memory and the p50/p99 action-to-update latency (action sent → next `view` received).
 *
 *   npx tsx test/bench/load.ts [--rooms 250] [--seconds 60] [--think 600-1500]
 *
 * The load clients run in this process, on the same machine as the server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from 'colyseus.js';
import { botAction, seededRng, type BotBehaviours, type JsonPatchOperation, type Level, type Role, type RoleView } from '@heist/shared';
import { ViewStream } from '../../client/src/net/viewStream.ts';
import { spawnServer } from '../server/process.ts';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const ROOMS = Number(args.get('rooms') ?? 250);
const SECONDS = Number(args.get('seconds') ?? 60);
const [THINK_MIN, THINK_MAX] = (args.get('think') ?? '600-1500').split('-').map(Number) as [number, number];
const ROLES_IN_ORDER: Role[] = ['client', 'server', 'ca', 'attacker'];
const PLAN: { level: Level; bots: BotBehaviours }[] = [
  { level: 1, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' } },
  { level: 2, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' } },
  { level: 3, bots: { client: 'careless', server: 'standard', ca: 'strict', attacker: 'keySubstitution' } },
  { level: 4, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } },
  { level: 5, bots: { client: 'careful', server: 'standard', ca: 'sloppy', attacker: 'tamper' } },
];

const latencies: number[] = [];
let measuring = false;
let rounds = 0;
let actionsSent = 0;
const errors = new Map<string, number>();
let viewBytes = 0;

/** One load client: a person in one seat, thinking 0.6-1.5 s before each move. */
function drive(room: Room, role: Role, roomIndex: number, isHost: boolean, rng = seededRng(`load-${roomIndex}-${role}`)): void {
  let view: RoleView | undefined;
  let pendingSince: number | undefined;
  let thinking: NodeJS.Timeout | undefined;
  let planIndex = roomIndex % PLAN.length;
  const stream = new ViewStream<RoleView>();
  const onView = (v: RoleView | undefined) => {
    if (!v) return void room.send('resync', {});
    const now = performance.now();
    if (pendingSince !== undefined) {
      if (measuring) latencies.push(now - pendingSince);
      pendingSince = undefined;
    }
    view = v;
    if (v.result) {
      if (isHost && !thinking) {
        // Next round after a short debrief.
        thinking = setTimeout(() => {
          thinking = undefined;
          if (measuring) rounds++;
          planIndex = (planIndex + 1) % PLAN.length;
          room.send('configure', PLAN[planIndex]);
          room.send('start');
        }, 2000);
      }
      return;
    }
    if (thinking || v.phase === 'over') return; // people prepare (and say Ready) too
    thinking = setTimeout(() => {
      thinking = undefined;
      if (!view || view.phase === 'over') return;
      const action = botAction(view, PLAN[planIndex]!.bots, rng);
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

async function openRoom(url: string, index: number): Promise<Room[]> {
  const client = new Client(url);
  const host = await client.create('game', { nickname: `h${index}` });
  const rooms = [host];
  for (let i = 1; i < 4; i++) rooms.push(await new Client(url).joinById(host.roomId, { nickname: `p${index}-${i}` }));
  rooms.forEach((r, i) => r.send('chooseSeat', { role: ROLES_IN_ORDER[i] }));
  rooms.forEach((r, i) => drive(r, ROLES_IN_ORDER[i]!, index, i === 0));
  await new Promise((r) => setTimeout(r, 100));
  host.send('configure', PLAN[index % PLAN.length]);
  host.send('start');
  return rooms;
}

/** The process and its descendants (tsx runs the server in a child node process). */
function tree(pid: number): number[] {
  const children = fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  return [pid, ...children.flatMap(tree)];
}

/** utime+stime in seconds and resident memory in MB of the server's process tree (Linux /proc). */
function sample(pid: number): { cpu: number; rssMb: number } {
  let cpu = 0;
  let rssMb = 0;
  for (const p of tree(pid)) {
    const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu += (Number(fields[11]) + Number(fields[12])) / 100;
    const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
    rssMb += rss ? Number(rss[1]) / 1024 : 0;
  }
  return { cpu, rssMb };
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const all: Room[] = [];
const dbPath = path.join(fs.mkdtempSync(path.join(args.get('db-dir') ?? os.tmpdir(), 'heist-load-')), 'heist.db');
const server = await spawnServer({
  DB_PATH: dbPath,
  JOINS_PER_MINUTE: '1000000',
  // Every simulated player comes from 127.0.0.1: lift the per-address caps meant for one school.
  SOCKETS_PER_ADDRESS: '1000000',
  RESERVATIONS_PER_ADDRESS: '1000000',
  ROOMS_PER_ADDRESS: '1000000',
  STATS_SECONDS: '5',
}, process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean));
server.proc.on('exit', (code, signal) => {
  if (measuring || all.length > 0) console.error(`server exited (${code ?? signal}):\n${server.output.join('').slice(-3000)}`);
});
const url = `ws://127.0.0.1:${server.port}`;
const pid = server.proc.pid!;
console.log(`server pid ${pid} on port ${server.port}; opening ${ROOMS} rooms (${ROOMS * 4} players)…`);

const t0 = performance.now();
for (let i = 0; i < ROOMS; i += 10) {
  const batch = await Promise.all(Array.from({ length: Math.min(10, ROOMS - i) }, (_, j) => openRoom(url, i + j)));
  for (const b of batch) all.push(...b);
}
console.log(`${all.length} players connected in ${((performance.now() - t0) / 1000).toFixed(1)} s; warming up 10 s…`);
await new Promise((r) => setTimeout(r, 10_000));

measuring = true;
const statsFrom = server.output.join('').length;
const start = sample(pid);
const startAt = performance.now();
let peakRss = start.rssMb;
const selfStart = process.cpuUsage();
const timer = setInterval(() => (peakRss = Math.max(peakRss, sample(pid).rssMb)), 1000);
await new Promise((r) => setTimeout(r, SECONDS * 1000));
clearInterval(timer);
measuring = false;
const end = sample(pid);
const elapsed = (performance.now() - startAt) / 1000;
const self = process.cpuUsage(selfStart);

const sorted = [...latencies].sort((a, b) => a - b);
// The server's own event-loop delay during the window (STATS_SECONDS lines), to tell server
// stalls from load-client stalls: both sit on the same two cores.
const loop = [...server.output.join('').slice(statsFrom).matchAll(/loopDelayP99=([\d.]+)ms loopDelayMax=([\d.]+)ms/g)].map((m) => ({ p99: Number(m[1]), max: Number(m[2]) }));
const report = {
  rooms: ROOMS,
  players: all.length,
  seconds: Math.round(elapsed),
  cores: os.cpus().length,
  loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  serverCpuPercent: Math.round(((end.cpu - start.cpu) / elapsed) * 1000) / 10,
  serverRssMb: Math.round(end.rssMb),
  serverPeakRssMb: Math.round(peakRss),
  loadClientsCpuPercent: Math.round(((self.user + self.system) / 1e6 / elapsed) * 1000) / 10,
  actions: sorted.length,
  actionsPerSecond: Math.round(sorted.length / elapsed),
  roundsFinished: rounds,
  p50Ms: Math.round(pct(sorted, 50) * 10) / 10,
  p99Ms: Math.round(pct(sorted, 99) * 10) / 10,
  maxMs: Math.round((sorted[sorted.length - 1] ?? NaN) * 10) / 10,
  serverLoopDelayP99Ms: Math.max(...loop.map((l) => l.p99)),
  serverLoopDelayMaxMs: Math.max(...loop.map((l) => l.max)),
  errors: Object.fromEntries(errors),
  downstreamKBps: Math.round(viewBytes / 1024 / ((performance.now() - t0) / 1000)),
};
console.log(JSON.stringify(report, null, 2));
console.log(
  `\n${report.rooms} rooms / ${report.players} players: server CPU ${report.serverCpuPercent}% of one core, RSS ${report.serverRssMb} MB (peak ${report.serverPeakRssMb}), ` +
    `action→update p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms over ${report.actions} actions`,
);

for (const r of all) r.connection.close();
await server.stop();
process.exit(0);
