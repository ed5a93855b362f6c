/**
 * WAL checkpoints off the event loop. In WAL mode with synchronous = NORMAL a commit is only a
 * write() (no fsync), but a checkpoint fsyncs, and better-sqlite3 runs it on the thread that
 * committed: under load that stalled every room for 100-300 ms at a time (see
 * docs/benchmarks.md). So the main connection never checkpoints; a worker thread with its own
 * connection does, every few seconds. Durability is unchanged: as before, a killed process
 * loses nothing, and a power cut can lose what is not yet checkpointed.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.ts';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
const checkpoint = (mode) => { try { db.pragma('wal_checkpoint(' + mode + ')'); } catch (e) { parentPort.postMessage(String(e)); } };
const timer = setInterval(() => checkpoint('PASSIVE'), workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint('TRUNCATE'); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function checkpointInBackground(db: Db, file: string, everyMs = 2000, log: (line: string) => void = () => undefined): Checkpointer {
  if (file === ':memory:') return { stop: async () => undefined };
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, file, everyMs } });
  db.pragma('wal_autocheckpoint = 0');
  worker.on('message', (m) => log(`checkpoint: ${m}`));
  worker.on('error', (e) => {
    log(`checkpoint worker failed (${e.message}); checkpointing on the main thread again`);
    db.pragma('wal_autocheckpoint = 1000');
  });
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 3000).unref();
      }),
  };
}
