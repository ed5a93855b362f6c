/**
 * The handshake's single crypto steps, one call at a time, on each backend, beside what it
 * costs to hand a call to a worker thread and get the answer back. Answers two questions with
 * figures: which crypto steps are long enough to matter on the event loop, and whether a worker
 * pool would shorten them (a step sent to a worker holds the loop for the round trip's own
 * main-thread share, and the engine, synchronous, would have to wait for the answer anyway).
 *
 *   npx tsx test/bench/crypto-steps.bench.ts [--runs 300]
 *
 * Each figure is the median of `--runs` calls timed by the wall clock (after 30 uncounted warm-up
 * calls), with the 99th percentile beside it; the machine's load average is printed (a shared
 * machine lengthens every row alike). The worker row is a `postMessage` of 300 bytes to a worker
 * that answers at once (structured clone both ways, one event-loop turn each side), measured
 * from the main thread; a pool library (piscina, tinypool) adds its own bookkeeping on top.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  RSA_KEY_POOL,
  ecdsaP256Sign,
  ecdsaP256Verify,
  nobleBackend,
  p256KeyPair,
  p256SharedSecret,
  rsaDecryptRaw,
  rsaPkcs1Encrypt,
  seededRng,
  sha256,
  withCryptoBackend,
  x25519KeyPair,
  x25519SharedSecret,
  type CryptoBackend,
} from '@heist/shared';
import { nodeCryptoBackend } from '../../server/src/crypto/node-backend.ts';

const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 300;
const WARMUP = 30;

function measure(f: (i: number) => unknown): { p50: number; p99: number } {
  for (let i = 0; i < WARMUP; i++) f(i);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    f(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)]!, p99: times[Math.min(RUNS - 1, Math.floor(RUNS * 0.99))]! };
}

async function measureAsync(f: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await f();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)]!, p99: times[Math.min(RUNS - 1, Math.floor(RUNS * 0.99))]! };
}

const seeds = Array.from({ length: RUNS + WARMUP }, (_, i) => sha256(new Uint8Array([i >> 8, i & 0xff, 7])));
const message = new Uint8Array(300).fill(0x5a);
const rng = seededRng('crypto-steps');
const rsa = RSA_KEY_POOL[0]!;

type Step = { name: string; run: (i: number) => unknown };
function steps(): Step[] {
  const p256 = p256KeyPair(seeds[0]!);
  const signature = ecdsaP256Sign(p256.secretKey, message);
  const x = x25519KeyPair(seeds[1]!);
  const premaster = rsaPkcs1Encrypt(rsa, new Uint8Array(48).fill(3), rng);
  return [
    { name: 'ECDSA P-256 sign (RFC 6979)', run: (i) => ecdsaP256Sign(p256.secretKey, seeds[i]!) },
    { name: 'ECDSA P-256 verify', run: () => ecdsaP256Verify(p256.publicKey, message, signature) },
    { name: 'P-256 key pair', run: (i) => p256KeyPair(seeds[i]!) },
    { name: 'P-256 ECDH', run: (i) => p256SharedSecret(p256KeyPair(seeds[i]!).secretKey, p256.publicKey) },
    { name: 'X25519 key pair', run: (i) => x25519KeyPair(seeds[i]!) },
    { name: 'X25519 shared secret', run: (i) => x25519SharedSecret(seeds[i]!, x.publicKey) },
    { name: 'RSA-2048 decrypt (private key)', run: () => rsaDecryptRaw(rsa, premaster) },
    { name: 'RSA-2048 encrypt (public key)', run: () => rsaPkcs1Encrypt(rsa, new Uint8Array(48).fill(3), rng) },
  ];
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
console.log(`crypto steps, median (p99) of ${RUNS} calls; Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}\n`);
const backends: CryptoBackend[] = [nobleBackend, nodeCryptoBackend];
const results = new Map<string, string[]>();
for (const backend of backends)
  withCryptoBackend(backend, () => {
    for (const step of steps()) {
      const { p50, p99 } = measure(step.run);
      results.set(step.name, [...(results.get(step.name) ?? []), `${fmt(p50)} (${fmt(p99)})`]);
    }
  });
console.log(`| step | ${backends.map((b) => b.name).join(' | ')} |`);
console.log(`| --- | ${backends.map(() => '---:').join(' | ')} |`);
for (const [name, cells] of results) console.log(`| ${name} | ${cells.join(' | ')} |`);

const worker = new Worker(`require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));`, { eval: true });
const roundTrip = await measureAsync(() => new Promise((resolve) => (worker.once('message', resolve), worker.postMessage(message))));
await worker.terminate();
console.log(`| a worker thread's round trip (300 bytes each way) | ${fmt(roundTrip.p50)} (${fmt(roundTrip.p99)}) | |`);
console.log(`\nload average at the end ${os.loadavg()[0]!.toFixed(2)}`);
