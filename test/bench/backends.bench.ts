/**
 * Crypto backend benchmark: the same engine work on noble (pure JavaScript, the engine's default)
 * and on node:crypto (OpenSSL, what the server installs), side by side in one run.
 * Target (issue 9): engine handshakes per CPU-second with node:crypto ≥ 5 × noble, levels 4 and 5;
 * and a room's single engine step short enough (a few ms) not to hold up the event loop.
 *
 *   npm run bench:backends                          (= npx tsx test/bench/backends.bench.ts)
 *   npx tsx test/bench/backends.bench.ts --batches 30 --sessions 20 --warmup 20 --passes 4 --levels 4,5   (the defaults)
 *   … --rounds N: part 2 plays only the first N behaviour combinations (a quick look; all by default)
 *
 * Part 1, handshakes per CPU-second: engine-session.ts's session (a full handshake plus one
 * request and one response through the real state machines, every message encoded and decoded),
 * the same one engine.bench.ts measures. Batches of each backend are interleaved, the first
 * backend alternating per round; each batch is timed by process CPU time (process.cpuUsage())
 * and by the wall clock. Per backend the median batch gives sessions/CPU-s; the speed-up is the
 * median over rounds of (noble batch CPU / node:crypto batch CPU), so load from other processes
 * on a shared machine falls on both sides of each ratio.
 *
 * Part 2, the longest single engine step: whole rounds played by bots as a server room plays
 * them (createRound, then each bot's applyAction and each tick, with viewFor for all four seats
 * after every step, as GameSession does before sending views), every level-4/5 attacker
 * behaviour × client × CA behaviour, `--passes` times, the backends alternating round by round.
 * Every call is timed by the wall clock and by process CPU time. Both bound the time the step held
 * the main thread from above: the wall clock also counts time the OS gave to other processes (a
 * shared machine), process CPU also counts V8's helper threads (concurrent GC and compilation)
 * running beside it. The tables give the tighter bound, min(wall, CPU), per step, and the plain
 * wall clock in brackets. A step is one createRound (the six key pairs of a round), one
 * applyAction or one tick; "step + views" adds the four views, the server's whole turn. A first
 * pass, not counted, warms the JIT.
 *
 * Speed is read off these figures, never asserted by a timed test.
 */
import os from 'node:os';
import {
  ATTACKER_BEHAVIOURS,
  BOT_ORDER,
  CA_BEHAVIOURS,
  CLIENT_BEHAVIOURS,
  DEFAULT_CONFIG,
  applyAction,
  botAction,
  createRound,
  isOver,
  nextEventAt,
  nobleBackend,
  seededRng,
  tick,
  withCryptoBackend,
  viewFor,
  type BotBehaviours,
  type CryptoBackend,
  type Role,
} from '@heist/shared';
import { nodeCryptoBackend } from '../../server/src/crypto/node-backend.ts';
import { engineSession, type BenchLevel } from './engine-session.ts';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const BATCHES = Number(option('batches', '30'));
const SESSIONS = Number(option('sessions', '20'));
const WARMUP = Number(option('warmup', '20'));
const PASSES = Number(option('passes', '4'));
/** Part 2 plays the first this many attacker × client × CA behaviours (all of them by default). */
const ROUNDS = Number(option('rounds', 'Infinity'));
const LEVELS = option('levels', '4,5').split(',').map(Number) as BenchLevel[];
const TARGET = 5;
const BACKENDS: CryptoBackend[] = [nobleBackend, nodeCryptoBackend];
const ROLES: Role[] = ['client', 'server', 'ca', 'attacker'];

interface Timing {
  wall: number;
  cpu: number;
}
function timed<T>(f: () => T): { value: T; t: Timing } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, t: { wall, cpu: (c.user + c.system) / 1000 } };
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

// ---------------------------------------------------------------------------------------------
// Part 1: handshakes per CPU-second

interface Throughput {
  level: BenchLevel;
  /** Per backend name: batch timings. */
  batches: Map<string, Timing[]>;
}

function batch(backend: CryptoBackend, level: BenchLevel, n: number): Timing {
  return withCryptoBackend(backend, () => timed(() => {
    for (let i = 0; i < n; i++) engineSession(level);
  }).t);
}

function throughput(level: BenchLevel): Throughput {
  for (const b of BACKENDS) batch(b, level, WARMUP);
  const batches = new Map(BACKENDS.map((b) => [b.name, [] as Timing[]]));
  for (let r = 0; r < BATCHES; r++) {
    const order = r % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
    for (const b of order) batches.get(b.name)!.push(batch(b, level, SESSIONS));
    const ms = (name: string) => `${(batches.get(name)![r]!.cpu / SESSIONS).toFixed(2)}`;
    process.stderr.write(`  level ${level} round ${r + 1}/${BATCHES}: CPU ms/session ${BACKENDS.map((b) => `${b.name} ${ms(b.name)}`).join(', ')}\n`);
  }
  return { level, batches };
}

// ---------------------------------------------------------------------------------------------
// Part 2: single engine steps in whole rounds

type StepKind = 'createRound' | 'applyAction' | 'tick';
interface Steps {
  step: Record<StepKind, Timing[]>;
  /** Step + viewFor for all four seats: the server's whole turn. */
  turn: Timing[];
  rounds: number;
}
const emptySteps = (): Steps => ({ step: { createRound: [], applyAction: [], tick: [] }, turn: [], rounds: 0 });

/** One round as a server room plays it, every engine call timed. Mirrors simulateRound. */
function playRound(level: BenchLevel, bots: BotBehaviours, seed: string, into: Steps): void {
  const rng = seededRng(seed);
  const config = { ...DEFAULT_CONFIG, latencyMs: 100, graceMs: 0, level, bots };
  const record = (kind: StepKind, t: Timing, round: ReturnType<typeof createRound>) => {
    into.step[kind].push(t);
    const views = timed(() => ROLES.map((role) => viewFor(round, role))).t;
    into.turn.push({ wall: t.wall + views.wall, cpu: t.cpu + views.cpu });
  };
  const created = timed(() => createRound(config, rng.fork('round'), 0));
  const round = created.value;
  record('createRound', created.t, round);
  const over = (): boolean => round.phase === 'over'; // a function: every step can change the phase
  for (let step = 0; step < 1_000 && !over(); step++) {
    for (let pass = 0, acted = true; acted && pass < 50 && !over(); pass++) {
      acted = false;
      for (const role of BOT_ORDER) {
        if (over()) break;
        const action = botAction(viewFor(round, role), bots);
        if (!action) continue;
        const applied = timed(() => applyAction(round, role, action, round.now));
        if (applied.value) throw new Error(`${role} bot's ${action.type} refused: ${applied.value.code}`);
        record('applyAction', applied.t, round);
        acted = true;
      }
    }
    if (isOver(round)) break;
    const at = nextEventAt(round);
    if (at === null) break;
    record('tick', timed(() => tick(round, at)).t, round);
  }
  if (!round.result) throw new Error(`round ${seed} did not finish`);
  into.rounds++;
}

function stepsByBackend(level: BenchLevel): Map<string, Steps> {
  const out = new Map(BACKENDS.map((b) => [b.name, emptySteps()]));
  const plays: { bots: BotBehaviours; seed: string }[] = [];
  for (const attacker of ATTACKER_BEHAVIOURS)
    for (const client of CLIENT_BEHAVIOURS) for (const ca of CA_BEHAVIOURS) plays.push({ bots: { client, server: 'standard', ca, attacker }, seed: `${level} ${attacker} ${client} ${ca}` });
  for (let pass = 0; pass <= PASSES; pass++) {
    plays.slice(0, ROUNDS).forEach((p, i) => {
      const order = (i + pass) % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
      for (const b of order) withCryptoBackend(b, () => playRound(level, p.bots, `${p.seed} pass ${pass}`, pass === 0 ? emptySteps() : out.get(b.name)!));
    });
    if (pass > 0) process.stderr.write(`  level ${level} steps: pass ${pass}/${PASSES} done\n`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  const cpus = os.cpus();
  console.log('Handshake Heist — crypto backends benchmark (noble vs node:crypto)');
  console.log(`Node ${process.version}, OpenSSL ${process.versions.openssl}, on ${os.platform()}/${os.arch()}; CPU: ${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores)`);
  console.log(`Load average at start (1/5/15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
  console.log(`Part 1: ${BATCHES} rounds × ${SESSIONS} sessions per backend and level, interleaved; warm-up ${WARMUP}. Part 2: ${PASSES} passes over every attacker × client × CA behaviour.`);
  console.log('');

  // Both backends once each, outside timing: they must run clean.
  for (const level of LEVELS) for (const b of BACKENDS) batch(b, level, 1);

  const rates = LEVELS.map(throughput);
  console.log('| Level | noble sessions/CPU-s | node:crypto sessions/CPU-s | Speed-up (CPU, paired) | noble sessions/s (wall) | node:crypto sessions/s (wall) | Target ≥ 5× |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of rates) {
    const [noble, node] = BACKENDS.map((b) => r.batches.get(b.name)!);
    const perCpuS = (ts: Timing[]) => (1000 * SESSIONS) / median(ts.map((t) => t.cpu));
    const perS = (ts: Timing[]) => (1000 * SESSIONS) / median(ts.map((t) => t.wall));
    const speedup = median(noble!.map((t, i) => t.cpu / node![i]!.cpu));
    console.log(
      `| ${r.level} | ${perCpuS(noble!).toFixed(0)} | ${perCpuS(node!).toFixed(0)} | ${speedup.toFixed(1)}× | ${perS(noble!).toFixed(0)} | ${perS(node!).toFixed(0)} | ${speedup >= TARGET ? 'PASS' : 'BELOW TARGET'} |`,
    );
  }
  console.log('');

  const steps = LEVELS.map((level) => ({ level, byBackend: stepsByBackend(level) }));
  console.log('Single engine steps in whole rounds, milliseconds: min(wall, process CPU) per step (plain wall clock in brackets):');
  console.log('| Level | Backend | Rounds | Steps | Longest createRound | Longest applyAction | Longest tick | Step p99 | Longest step | Longest step + views | Step + views p99 |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const ms = (ts: Timing[], f: (xs: number[]) => number) => `${f(ts.map((t) => Math.min(t.wall, t.cpu))).toFixed(2)} (${f(ts.map((t) => t.wall)).toFixed(2)})`;
  const max = (xs: number[]) => Math.max(...xs);
  const p99 = (xs: number[]) => percentile(xs, 99);
  for (const { level, byBackend } of steps)
    for (const b of BACKENDS) {
      const s = byBackend.get(b.name)!;
      const all = [...s.step.createRound, ...s.step.applyAction, ...s.step.tick];
      console.log(
        `| ${level} | ${b.name} | ${s.rounds} | ${all.length} | ${ms(s.step.createRound, max)} | ${ms(s.step.applyAction, max)} | ${ms(s.step.tick, max)} | ${ms(all, p99)} | ${ms(all, max)} | ${ms(s.turn, max)} | ${ms(s.turn, p99)} |`,
      );
    }
  console.log('');
  console.log(`Load average at end (1/5/15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
  console.log('Sessions/CPU-s: median batch by process CPU time; speed-up: median over rounds of the paired noble/node:crypto CPU ratio.');
  console.log('Steps: every createRound, applyAction and tick of the rounds, each timed alone. Wall time includes time the OS gave to other processes;');
  console.log('process CPU includes V8 helper threads; min(wall, CPU) bounds the main-thread time of each step from above.');
}

main();
