/**
 * Nothing that goes wrong in one place may stop the process: every room of every class lives
 * in it. Timers outside rooms run their work guarded (a stats line that cannot be read, e.g.
 * when file descriptors run out, is skipped, not fatal), and a last net at process level logs
 * what escaped anyway instead of letting Node exit on it. The causes are fixed where they
 * are; the net is for the ones nobody has found yet.
 */

export type Log = (line: string) => void;

/** `fn` every `ms`, unref'd; a throw is logged (once per distinct message in a row) and the timer keeps going. */
export function guardedInterval(what: string, ms: number, log: Log, fn: () => void): NodeJS.Timeout {
  let lastError: string | undefined;
  const timer = setInterval(() => {
    try {
      fn();
      lastError = undefined;
    } catch (e) {
      const message = describe(e);
      if (message !== lastError) log(`${what} failed (will retry): ${message}`);
      lastError = message;
    }
  }, ms);
  timer.unref();
  return timer;
}

/** `fn` once after `ms`, unref'd; a throw or rejection is logged. */
export function safeTimeout(what: string, ms: number, log: Log, fn: () => unknown): NodeJS.Timeout {
  const timer = setTimeout(() => {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch((e: unknown) => log(`${what} failed: ${describe(e)}`));
    } catch (e) {
      log(`${what} failed: ${describe(e)}`);
    }
  }, ms);
  timer.unref();
  return timer;
}

/** Log unhandled rejections and uncaught exceptions and keep serving. Call once, from main. */
export function installSafetyNet(log: Log): void {
  process.on('unhandledRejection', (reason) => log(`unhandled rejection (kept running): ${stackOf(reason)}`));
  process.on('uncaughtException', (error, origin) => log(`${origin} (kept running): ${stackOf(error)}`));
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An error's stack (or its words), for the log. */
export function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

export interface Loop {
  stop(): void;
}

/**
 * `fn` again `ms` after each run ends (runs never overlap, however long one takes), unref'd;
 * a throw or rejection is logged and the loop goes on.
 */
export function guardedLoop(what: string, ms: number, log: Log, fn: () => Promise<void> | void): Loop {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        await fn();
      } catch (e) {
        log(`${what} failed: ${describe(e)}`);
      }
      next();
    }, ms);
    timer.unref();
  };
  next();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
