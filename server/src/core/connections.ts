/**
 * What a host (gameHost.ts, classHost.ts) needs of the connections in its room, whoever carries
 * them: Colyseus' clients (rooms/colyseusPorts.ts), or the headless server's people
 * (headless.ts). A host keeps its own list of who is connected; this only delivers.
 */
import type { Scheduler } from '../time/scheduler.ts';

export interface RoomIO<Out> {
  send<K extends keyof Out>(connection: string, type: K, payload: Out[K]): void;
  /** Closes one connection with a close code and the words shown (CLOSE_CODES.closed: the browser does not try again). */
  close(connection: string, code: number, reason?: string): void;
  /** Closes the room itself (its connections are closed first). */
  dispose(): Promise<unknown>;
}

/**
 * A dropped connection's way back: `back` resolves with the new connection when the same session
 * reconnects, and rejects once given up (Colyseus' allowReconnection in its manual mode).
 */
export interface Reconnection<C> {
  back: PromiseLike<C>;
  giveUp(why: string): void;
}

/**
 * Waits for a dropped connection to come back, for at most `seconds` of the scheduler's time (the
 * scheduler owns the allowance, so a test drives it); resolves with the new connection, or with
 * undefined once it was given up.
 */
export async function awaitReturn<C>(scheduler: Scheduler, seconds: number, what: string, reconnection: Reconnection<C>): Promise<C | undefined> {
  const allowance = scheduler.after(seconds * 1000, what, () => reconnection.giveUp('not back in time'));
  try {
    return await reconnection.back;
  } catch {
    return undefined;
  } finally {
    allowance.cancel();
  }
}
