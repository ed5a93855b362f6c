/**
 * The checks every incoming frame passes before it is decoded: size and rate, on the raw frame
 * (its size is gone once decoded). Both rooms share it. A rejected frame gets a typed `error`
 * back and goes no further — Colyseus never decodes it, so junk over the limits costs nothing
 * and cuts nobody off; rate-limit errors are themselves limited to one a second, so a flood
 * cannot make the server flood back.
 */
import { Protocol, ServerError, type Client, type Room } from '@colyseus/core';
import { LIMITS, type ProtocolError } from '@heist/shared';
import { unknownMessage } from '../validation/messages.ts';
import { RateLimiter } from '../validation/rateLimit.ts';

export class MessageGate {
  private readonly limiter: RateLimiter;
  private readonly lastRateError = new WeakMap<Client, number>();

  constructor(
    messagesPerSecond: number,
    private readonly now: () => number,
  ) {
    this.limiter = new RateLimiter(messagesPerSecond * 2, messagesPerSecond);
  }

  /**
   * Judge every frame of this connection as it arrives, raw, before Colyseus decodes it:
   * `client.ref` is the connection's socket, and a frame it does not emit reaches no listener —
   * neither the room's decoder (which Colyseus adds after onJoin) nor a handler. Every frame
   * counts against the rate; a refused one is dropped when it is a room message, and Colyseus's
   * own frames (the join's acknowledgement, a leave) go on as before, so a player over the rate
   * can still finish joining or leave. Call it on every join and every reconnection (a new Client).
   */
  watch(client: Client): void {
    const socket = client.ref;
    const emit = socket.emit;
    socket.emit = (event: string | symbol, ...args: unknown[]): boolean => {
      if (event === 'message' && !this.admit(client, args[0] as Uint8Array) && isRoomMessage(args[0] as Uint8Array)) return false;
      return emit.call(socket, event, ...args);
    };
  }

  /** True when the frame may be decoded and handled. */
  private admit(client: Client, frame: Uint8Array): boolean {
    const now = this.now();
    if (!this.limiter.allow(client.sessionId, now)) {
      if (now - (this.lastRateError.get(client) ?? 0) >= 1000) {
        this.lastRateError.set(client, now);
        sendError(client, { code: 'rateLimited', message: `Slow down: at most ${this.limiter.perSecond} messages a second.` });
      }
      return false;
    }
    if (frame.byteLength > LIMITS.maxMessageBytes) {
      sendError(client, { code: 'tooLarge', message: `Message too large (${frame.byteLength} bytes; the limit is ${LIMITS.maxMessageBytes}).` });
      return false;
    }
    return true;
  }

  forget(client: Client): void {
    this.limiter.forget(client.sessionId);
  }
}

/** A room message (what handlers receive), not one of Colyseus's own frames. */
function isRoomMessage(frame: Uint8Array): boolean {
  return frame[0] === Protocol.ROOM_DATA || frame[0] === Protocol.ROOM_DATA_BYTES;
}

/**
 * Answer unknown message types with a typed error. Colyseus keeps a built-in handler under
 * the type "__no_message_handler" that disconnects whoever names it; replace it too. The room's
 * gate has judged every frame before it gets here (`MessageGate.watch`).
 */
export function answerUnknownMessages(room: Room): void {
  room.onMessage('*', (client, type: string | number) => sendError(client, unknownMessage(type)));
  room.onMessage('__no_message_handler', (client) => sendError(client, unknownMessage('__no_message_handler')));
}

export function sendError(client: Client, error: ProtocolError): void {
  client.send('error', error);
}

/** A message handler: behind the room's gate (which judged the frame before it was decoded: `MessageGate.watch`), and guarded (see `guarded`). */
export function listen(room: Room, type: string, log: (line: string) => void, where: string, work: (client: Client, raw: unknown) => unknown): void {
  room.onMessage(type, (client, raw: unknown) => guarded(client, type, log, where, () => work(client, raw)));
}

/**
 * Run the handler of one client's message so that nothing escapes it: a throw or a rejection
 * (say, the database failing mid-command) becomes a typed `serverError` to that client and a
 * log line. An escaped rejection would end the process, and with it every room of every class.
 */
export function guarded(client: Client, type: string, log: (line: string) => void, where: string, work: () => unknown): void {
  const fail = (e: unknown) => {
    log(`${where}: ${type} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    try {
      sendError(client, { code: 'serverError', message: 'The server could not do that just now. Try again in a moment.', type });
    } catch {
      // the client is gone; nothing to tell
    }
  };
  try {
    const result = work();
    if (result instanceof Promise) result.catch(fail);
  } catch (e) {
    fail(e);
  }
}

/**
 * For a room's onUncaughtException. Colyseus also reports there every join a room refuses on
 * purpose (a ServerError from onAuth or onCreate): the player got the reason, so those are not
 * logged at all; a real fault is logged once, with its stack.
 */
export function logRoomException(log: (line: string) => void, where: string, error: Error, method: string): void {
  const cause = (error as { cause?: unknown }).cause ?? error;
  if (cause instanceof ServerError) return;
  log(`${where}: ${method} threw: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
}
