/**
 * The SQLite store, run on a thread of its own. better-sqlite3 is synchronous: a statement
 * blocks the thread that runs it, and when another process holds the file (a backup, an
 * operator's `sqlite3` shell, a second server started by mistake) it waits out its busy timeout
 * (5 s) there. On the event loop that froze every room of the server, for 8.9 s once. Here the
 * main thread only posts each call to the worker (worker.ts), which owns the connection and
 * answers in order, so the rooms keep playing while a write waits for the lock, and the write
 * still fails after the busy timeout as before (the caller's promise rejects with SQLITE_BUSY).
 *
 * The worker runs the same SqliteStore class (store.ts) the tests use directly: every method of
 * the Store interface is forwarded by name, so a method added to the interface and to SqliteStore
 * works here with no change. Arguments and answers are plain data (structured clone).
 *
 * Started from the server's bundle (`npm start -w server`, build.mjs), the worker is the bundle's
 * `sqlite-worker.js` beside it. Run from source (under Vitest, or tsx), the worker's TypeScript is
 * loaded with tsx's `tsImport`, since a worker thread does not inherit its parent's loader.
 */
import { Worker } from 'node:worker_threads';
import type { Log } from '../../safety.ts';
import type { Store } from '../store.ts';

export interface Request {
  id: number;
  method: string;
  args: unknown[];
}

export type Reply =
  | { ready: true }
  | { ready: false; error: ErrorData }
  | { id: number; value: unknown }
  | { id: number; error: ErrorData }
  | { log: string };

interface ErrorData {
  name: string;
  message: string;
  code?: string;
}

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => tsx.tsImport(workerData.entry, workerData.parent));
`;

/** A Store whose every call runs on the SQLite worker thread; resolves once the file is open and migrated. */
export async function openSqliteOffThread(file: string, log: Log): Promise<Store> {
  const fromSource = import.meta.url.endsWith('.ts');
  const worker = fromSource
    ? new Worker(BOOTSTRAP, {
        eval: true,
        workerData: { tsx: import.meta.resolve('tsx/esm/api'), entry: new URL('./worker.ts', import.meta.url).href, parent: import.meta.url, file },
      })
    : new Worker(new URL('./sqlite-worker.js', import.meta.url), { workerData: { file } });
  const pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  let gone: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: Reply) => {
      if ('log' in m) return log(m.log);
      if ('ready' in m) return m.ready ? resolve() : reject(asError(m.error));
      const call = pending.get(m.id);
      pending.delete(m.id);
      if (pending.size === 0) worker.unref();
      if ('error' in m) call?.reject(asError(m.error));
      else call?.resolve(m.value);
    });
    const fail = (e: Error) => {
      gone = e;
      reject(e);
      for (const call of pending.values()) call.reject(e);
      pending.clear();
    };
    worker.on('error', (e) => {
      log(`sqlite worker failed: ${e.stack ?? e.message}`);
      fail(e);
    });
    worker.on('exit', (code) => fail(new Error(`the SQLite worker has stopped (exit code ${code})`)));
  });
  await ready;
  // The thread keeps the process alive only while a call is on its way (as a socket would), so a
  // server or a script that is done exits without closing the store first, as before.
  worker.unref();

  const call = (method: string, args: unknown[]): Promise<unknown> => {
    if (gone) return Promise.reject(gone);
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies Request);
    });
  };

  const own = {
    engine: 'sqlite' as const,
    async close(): Promise<void> {
      if (gone) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      await call('close', []);
      await exited;
    },
  };
  // Every other Store method goes to the worker by name. A property set on the store (a test
  // replacing a method to make it fail) is kept and wins, as on a plain object.
  return new Proxy(own, {
    get: (target, prop, receiver) =>
      typeof prop !== 'string' || prop in target || prop === 'then' ? Reflect.get(target, prop, receiver) : (...args: unknown[]) => call(prop, args),
  }) as unknown as Store;
}

function asError(data: ErrorData): Error {
  const e = new Error(data.message) as Error & { code?: string };
  e.name = data.name;
  if (data.code !== undefined) e.code = data.code;
  return e;
}
