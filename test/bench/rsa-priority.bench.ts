/**
 * What making RSA-2048 keys does to a busy event loop, by the priority it runs at (not a test):
 *
 *   npx tsx test/bench/rsa-priority.bench.ts [--seconds 10] [--cycles 2] [--busy 60]
 *
 * The main thread plays a loaded server: every 10 ms a timer does --busy % of it in synchronous
 * work (a server's event loop under load, always with something to do).
 * Meanwhile keys are made back to back, two at a time, in one of three ways, each for --seconds,
 * the three interleaved --cycles times:
 *   none      no keys made (the floor);
 *   pool      node:crypto's async generateKeyPair on libuv's thread pool, ordinary priority (the server before);
 *   low       crypto/lowPriorityRsaKeys.ts: two worker threads at nice 19 (the server now).
 * For each: the event loop's delay (p50 / p99 / max, monitorEventLoopDelay), how late the
 * work ran, keys made per second and the process's CPU. The machine's load average is printed:
 * neighbours' load lands on every mode alike, since they are interleaved.
 */
import os from 'node:os';
import { generateKeyPair } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LowPriorityRsaKeys } from '../../server/src/crypto/lowPriorityRsaKeys.ts';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const SECONDS = Number(args.get('seconds') ?? 10);
const CYCLES = Number(args.get('cycles') ?? 2);
const BUSY = Number(args.get('busy') ?? 60) / 100;
const TICK_MS = 10;

type Mode = 'none' | 'pool' | 'low';
const low = new LowPriorityRsaKeys(2, (line) => console.error(line));

/** Keys back to back, two at a time, until `until`; resolves with how many were made. */
async function makeKeys(mode: Mode, until: number): Promise<number> {
  if (mode === 'none') return 0;
  let made = 0;
  const one = (): Promise<unknown> =>
    mode === 'low' ? low.make() : new Promise((resolve, reject) => generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (e) => (e ? reject(e) : resolve(undefined))));
  const lane = async () => {
    while (performance.now() < until) {
      await one();
      made++;
    }
  };
  await Promise.all([lane(), lane()]);
  return made;
}

async function run(mode: Mode) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const lateness: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  const until = start + SECONDS * 1000;
  delay.enable();
  let next = start + TICK_MS;
  const work = setInterval(() => {
    const now = performance.now();
    lateness.push(Math.max(0, now - next));
    next = now + TICK_MS;
    const end = now + TICK_MS * BUSY;
    let x = 0;
    while (performance.now() < end) x += Math.sqrt(x + 1);
  }, TICK_MS);
  const keys = await makeKeys(mode, until);
  await new Promise((r) => setTimeout(r, Math.max(0, until - performance.now())));
  clearInterval(work);
  delay.disable();
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  lateness.sort((a, b) => a - b);
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return {
    mode,
    loopP50: ms(delay.percentile(50)),
    loopP99: ms(delay.percentile(99)),
    loopMax: ms(delay.max),
    workLateP99: Math.round(lateness[Math.floor(lateness.length * 0.99)]! * 100) / 100,
    keysPerSecond: Math.round((keys / elapsed) * 10) / 10,
    cpuPercent: Math.round(((used.user + used.system) / 1e6 / elapsed) * 1000) / 10,
  };
}

console.log(`${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}; main thread busy ${BUSY * 100} % of every ${TICK_MS} ms; ${SECONDS} s per mode, ${CYCLES} cycles`);
const results: Awaited<ReturnType<typeof run>>[] = [];
for (let c = 0; c < CYCLES; c++)
  for (const mode of (c % 2 ? ['low', 'pool', 'none'] : ['none', 'pool', 'low']) as Mode[]) {
    const r = await run(mode);
    results.push(r);
    console.log(JSON.stringify(r));
  }
await low.close();
console.log(`load average at the end ${os.loadavg()[0]!.toFixed(2)}`);
console.log('\n| mode | loop delay p50 / p99 / max (ms) | work late p99 (ms) | keys/s | process CPU |\n| --- | --- | ---: | ---: | ---: |');
for (const r of results) console.log(`| ${r.mode} | ${r.loopP50} / ${r.loopP99} / ${r.loopMax} | ${r.workLateP99} | ${r.keysPerSecond} | ${r.cpuPercent} % |`);
