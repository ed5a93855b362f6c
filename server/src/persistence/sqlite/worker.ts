/**
 * The SQLite connection's own thread (see offThread.ts): it opens the file exactly as the
 * main thread used to (openDb, the checkpoint worker), holds the one SqliteStore, and answers
 * each call in the order it came. Here better-sqlite3 may block as it likes: waiting out a
 * lock another process holds (its busy timeout) or a slow disk stalls this thread's queue of
 * writes, not the game's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkpointInBackground } from './checkpointer.ts';
import { openDb } from './db.ts';
import { SqliteStore } from './store.ts';
import type { Reply, Request } from './offThread.ts';

const port = parentPort!;
const { file } = workerData as { file: string };
const reply = (message: Reply) => port.postMessage(message);

let store: SqliteStore;
try {
  const db = openDb(file);
  const checkpointer = checkpointInBackground(db, file, 2000, (line) => reply({ log: line }));
  store = new SqliteStore(db, async () => {
    await checkpointer.stop();
    db.close();
  });
  reply({ ready: true });
} catch (e) {
  reply({ ready: false, error: errorData(e) });
  port.close();
}

port.on('message', async ({ id, method, args }: Request) => {
  try {
    const call = (store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    if (typeof call !== 'function') throw new Error(`the store has no method ${method}`);
    reply({ id, value: await call.apply(store, args) });
  } catch (e) {
    reply({ id, error: errorData(e) });
  }
  if (method === 'close') port.close();
});

/** What survives the trip to the main thread: the message, and better-sqlite3's code (SQLITE_BUSY, …). */
function errorData(e: unknown): { name: string; message: string; code?: string } {
  const err = e as { name?: string; message?: string; code?: unknown };
  return { name: err?.name ?? 'Error', message: err?.message ?? String(e), code: typeof err?.code === 'string' ? err.code : undefined };
}
