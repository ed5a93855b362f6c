/**
 * Download-spam benchmark (not a test): what one student can cost everyone else by asking for
 * the attacker's recording over and over.
 *
 *   npx tsx test/bench/download-spam.ts [--connections 20] [--seconds 20] [--rate 19] [--file recording|resync]
 *
 * Starts the real server (server/src/main.ts) as its own process. In one casual room a level-4
 * round is played by bots to its end (so the recording holds a whole TLS conversation); then
 * N connections join that room, all take the attacker's seat, and each sends "download
 * recording" (or `resync`) `rate` times a second — under the 20 messages/s limit — for the
 * given seconds. Meanwhile an unrelated room plays demo rounds, and a prober in it sends a
 * message the server answers at once (an unknown type) ten times a second: its round trip is
 * what a student in another class feels. Prints the bytes the spammers received and the
 * prober's p50/p99/max, before and during the spam.
 */
import { Client, type Room } from 'colyseus.js';
import { spawnServer } from '../server/process.ts';
import { tempDbPath } from '../server/helpers.ts';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const CONNECTIONS = Number(args.get('connections') ?? 20);
const SECONDS = Number(args.get('seconds') ?? 20);
const RATE = Number(args.get('rate') ?? 19);
const FILE = args.get('file') ?? 'recording';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Bytes this room's websocket received. */
function countBytes(room: Room): () => number {
  let bytes = 0;
  const ws = (room.connection.transport as unknown as { ws: { addEventListener(t: string, f: (e: { data: ArrayBuffer }) => void): void } }).ws;
  ws.addEventListener('message', (e) => (bytes += e.data.byteLength));
  return () => bytes;
}

const server = await spawnServer({
  DB_PATH: tempDbPath(),
  LATENCY_MS: '40',
  BOT_DELAY_MS: '15-40',
  PREPARE_MS: '3000',
  ROUND_MS: '30000',
  CLOSING_MS: '1500',
  BETWEEN_ROUNDS_MS: '1000',
  JOINS_PER_MINUTE: '1000',
});
const url = `ws://127.0.0.1:${server.port}`;
try {
  // The unrelated room: a demo playing by itself, and a prober watching it.
  const prober = await new Client(url).create('game', { nickname: 'Prober', demo: true });
  const rtts: number[] = [];
  const sentAt: number[] = []; // answered in order
  prober.onMessage('error', () => {
    const at = sentAt.shift();
    if (at !== undefined) rtts.push(performance.now() - at);
  });
  prober.onMessage('*', () => undefined);
  const probe = setInterval(() => {
    sentAt.push(performance.now());
    prober.send('probe', {});
  }, 100);

  // The spammer's room: a level-4 round, bots in the other seats, in which she puts her whole
  // budget of bytes on the wire (32 KB, injected), so her recording is as large as it gets.
  const host = await new Client(url).create('game', { nickname: 'Host' });
  host.onMessage('*', () => undefined);
  let over = false;
  let phase = '';
  host.onMessage('view', (v: { phase: string }) => (phase = v.phase));
  host.onMessage('viewPatch', ({ ops }: { ops: { path: string; value: unknown }[] }) => {
    for (const op of ops) if (op.path === '/phase') phase = String(op.value);
  });
  host.onStateChange((s: { lastOutcome: string; phase: string }) => (over ||= s.phase === 'over' && s.lastOutcome !== ''));
  host.send('configure', { level: 4, bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' } });
  host.send('chooseSeat', { role: 'attacker' });
  await sleep(200);
  host.send('start', {});
  host.send('action', { type: 'ready' });
  await until('play to begin', () => phase === 'playing');
  for (let i = 0; i < 8; i++) host.send('action', { type: 'inject', to: 'server', hex: '17'.repeat(4000) });
  host.send('action', { type: 'done' });
  await until('the round to end', () => over);

  const spammers: { room: Room; bytes: () => number }[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const room = i === 0 ? host : await new Client(url).joinById(host.roomId, { nickname: `Spam${i}` });
    room.onMessage('*', () => undefined);
    room.send('chooseSeat', { role: 'attacker' });
    spammers.push({ room, bytes: countBytes(room) });
  }
  await sleep(1000);
  let fileBytes = 0;
  host.onMessage('download', (f: { bytes: Uint8Array }) => (fileBytes = f.bytes.byteLength));
  host.send('download', { file: 'recording' });
  await until('one download', () => fileBytes > 0);
  const seated = (host.state as { members: Map<string, { role: string }> }).members;
  const attackers = [...seated.values()].filter((m) => m.role === 'attacker').length;

  const settle = 5;
  await sleep(settle * 1000);
  const quiet = [...rtts].sort((a, b) => a - b);
  rtts.length = 0;

  const before = spammers.map((s) => s.bytes());
  const timers = spammers.map((s) => setInterval(() => s.room.send(FILE === 'resync' ? 'resync' : 'download', FILE === 'resync' ? {} : { file: FILE }), 1000 / RATE));
  await sleep(SECONDS * 1000);
  timers.forEach(clearInterval);
  const sent = spammers.reduce((sum, s, i) => sum + s.bytes() - before[i]!, 0);
  clearInterval(probe);
  // Probes sent during the spam and still unanswered count too: wait for their answers (30 s at most).
  await until('the last probes', () => sentAt.length === 0, 30_000).catch(() => undefined);
  const unanswered = sentAt.length;
  const loud = [...rtts, ...sentAt.map((at) => performance.now() - at)].sort((a, b) => a - b);

  const report = {
    connections: CONNECTIONS,
    seatedAsAttacker: attackers,
    file: FILE,
    ratePerConnection: RATE,
    seconds: SECONDS,
    fileBytes,
    megabytesSent: round1(sent / 1e6),
    unrelatedRoomQuiet: { p50Ms: round1(pct(quiet, 50)), p99Ms: round1(pct(quiet, 99)), maxMs: round1(quiet.at(-1) ?? NaN), probes: quiet.length },
    unrelatedRoomDuringSpam: { p50Ms: round1(pct(loud, 50)), p99Ms: round1(pct(loud, 99)), maxMs: round1(loud.at(-1) ?? NaN), probes: loud.length, unanswered },
    loadAverage: (await import('node:os')).loadavg()[0]!.toFixed(2),
  };
  console.log(JSON.stringify(report, null, 2));
  for (const s of spammers) await s.room.leave(true).catch(() => undefined);
  await prober.leave(true).catch(() => undefined);
} finally {
  await server.stop();
}
process.exit(0);
