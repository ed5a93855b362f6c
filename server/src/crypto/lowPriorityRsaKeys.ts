/**
 * RSA-2048 key pairs made in the background, on worker threads that run at the lowest CPU
 * priority the system allows (nice 19), so that the event loop always gets a core first.
 *
 * Why: a 2048-bit key takes ~50-400 ms of CPU (a search for two primes), and the server makes two
 * per round at levels 4, 4e and 5. Made on libuv's thread pool (node:crypto's async
 * generateKeyPair) they ran at the same priority as the event loop: at 250 rooms the key making
 * was about half of the server's CPU and, on a two-core machine with a browser beside it, the
 * loop waited for a core (docs/benchmarks.md). At nice 19 a key
 * thread gets a core only when nothing else of ordinary priority wants it.
 *
 * A thread's own priority is set through /proc/thread-self (Linux: setpriority() with a thread
 * id applies to that thread alone). Elsewhere the threads run at ordinary priority, as libuv's
 * pool did, and `lowPriority` says so.
 *
 * The keys are OpenSSL's (generateKeyPairSync on the worker's thread, from OpenSSL's random
 * generator), handed back as JWK (RFC 7518 §6.3).
 */
import { Worker } from 'node:worker_threads';

export type RsaJwk = { [name: string]: unknown };

const WORKER = `
const { parentPort } = require('node:worker_threads');
const { generateKeyPairSync } = require('node:crypto');
let lowPriority = false;
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 19);
  lowPriority = require('node:os').getPriority(tid) === 19;
} catch {}
parentPort.postMessage({ lowPriority });
parentPort.on('message', () => {
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    parentPort.postMessage({ jwk: privateKey.export({ format: 'jwk' }) });
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
});
`;

interface Thread {
  worker: Worker;
  /** Keys asked of this thread and not yet answered, oldest first. */
  asked: { resolve(jwk: RsaJwk): void; reject(e: Error): void }[];
}

export class LowPriorityRsaKeys {
  private readonly threads: Thread[] = [];
  private broken: Error | undefined;
  /** Whether the threads run below ordinary priority (known once the first has started). */
  lowPriority: boolean | undefined;

  constructor(
    threadCount: number,
    private readonly log: (line: string) => void,
  ) {
    for (let i = 0; i < threadCount; i++) this.threads.push(this.start());
  }

  /** Keys being made or queued. */
  get pending(): number {
    return this.threads.reduce((n, t) => n + t.asked.length, 0);
  }

  /** Whether the threads can still make keys (a thread that fails stops them all). */
  get working(): boolean {
    return this.broken === undefined && this.threads.length > 0;
  }

  /** One key, from the thread with the shortest queue. */
  make(): Promise<RsaJwk> {
    if (!this.working) return Promise.reject(this.broken ?? new Error('no RSA key threads'));
    const thread = this.threads.reduce((a, b) => (b.asked.length < a.asked.length ? b : a));
    return new Promise<RsaJwk>((resolve, reject) => {
      thread.asked.push({ resolve, reject });
      thread.worker.postMessage(null);
    });
  }

  /** Stop the threads; keys not yet made are refused. */
  async close(): Promise<void> {
    this.fail(new Error('the server is closing'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private start(): Thread {
    const worker = new Worker(WORKER, { eval: true });
    const thread: Thread = { worker, asked: [] };
    // Keys made ahead keep no process alive (a server is kept up by its sockets; a script that is done exits).
    worker.unref();
    worker.on('message', (m: { lowPriority: boolean } | { jwk: RsaJwk } | { error: string }) => {
      if ('lowPriority' in m) {
        if (this.lowPriority === undefined && !m.lowPriority) this.log('RSA keys are made at ordinary priority: this system cannot lower one thread’s priority');
        this.lowPriority = (this.lowPriority ?? true) && m.lowPriority;
        return;
      }
      if ('error' in m) return this.fail(new Error(`making an RSA key failed: ${m.error}`));
      thread.asked.shift()?.resolve(m.jwk);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`an RSA key thread stopped (exit code ${code})`)));
    return thread;
  }

  private fail(e: Error): void {
    if (!this.broken && e.message !== 'the server is closing') this.log(`RSA key threads stopped: ${e.message}`);
    this.broken ??= e;
    for (const t of this.threads) for (const asked of t.asked.splice(0)) asked.reject(e);
  }
}
