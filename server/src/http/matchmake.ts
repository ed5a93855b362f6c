/**
 * The door to Colyseus' matchmaker: every create, join and reconnect is an HTTP POST that
 * passes here, and only here, before any room code runs.
 *
 * Colyseus sends to its matchmaker every request whose URL merely *contains* "/matchmake"
 * (`/matchmake/…`, `/x/matchmake/…`, `//matchmake/…`, `/api/matchmake/…`, even a query
 * string) and reads the call from the URL's word tokens (@colyseus/core 0.16 Server.js
 * `attachMatchMakingRoutes`, `handleMatchMakeRequest`). Its handler buffers the whole body
 * and never ends a request that is neither POST, GET nor OPTIONS. This door takes the same
 * requests, by the same test, in its place, and in this order: origin, rate, caps per
 * address (a socket free for the websocket, seats reserved, rooms opened), body size (refused from Content-Length or the
 * moment it overflows, never buffered past the cap), JSON shape; then it makes the call
 * through Colyseus' own controller, as Colyseus' handler would.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchMaker, ServerError, getBearerToken, type Room } from '@colyseus/core';
import type { Limits } from '../config.ts';
import { JOIN_ERRORS, type JoinError } from '../rooms/joinErrors.ts';
import { isPlainObject } from '../validation/messages.ts';
import { addressKey, Holdings } from '../validation/perAddress.ts';
import { RateLimiter } from '../validation/rateLimit.ts';
import type { OriginPolicy } from './origins.ts';

/** Join options are a nickname, a code, a ticket or a token: a few hundred bytes at most. */
export const MATCHMAKE_BODY_BYTES = 4 * 1024;
/** A refused upload is not read further; its socket is closed once the refusal had time to arrive. */
const REFUSED_UPLOAD_CLOSE_MS = 1000;

/** Colyseus' own test (Server.js): which requests it would hand to its matchmaker. */
export function reachesMatchmaker(url: string | undefined): boolean {
  return url !== undefined && url.indexOf(`/${matchMaker.controller.matchmakeRoute}`) !== -1;
}

/** The call named by the URL, read as Colyseus reads it (the words after "matchmake"). */
export function matchmakeCall(url: string): { method: string; roomName: string } | undefined {
  const words: string[] = url.match(matchMaker.controller.allowedRoomNameChars) ?? [];
  const at = words.indexOf(matchMaker.controller.matchmakeRoute);
  const method = words[at + 1];
  if (at < 0 || method === undefined || !(matchMaker.controller.exposedMethods as readonly string[]).includes(method)) return undefined;
  return { method, roomName: words[at + 2] ?? '' };
}

/** A seat the matchmaker reserved for an address: held until a websocket takes it up or it expires. */
interface Seat {
  pending: boolean;
  roomId?: string;
  sessionId?: string;
}

/** A room an address's request opened: held until the room is disposed. */
interface Opened {
  pending: boolean;
  roomId?: string;
}

const CREATES = new Set(['create', 'joinOrCreate']);

export class MatchmakeDoor {
  private readonly joins: RateLimiter;
  private readonly reconnects: RateLimiter;
  private readonly seats: Holdings<Seat>;
  private readonly rooms: Holdings<Opened>;
  /** The request a room is being created for, so `roomCreated` knows whose it is. */
  private readonly opening = new AsyncLocalStorage<Opened>();

  constructor(
    limits: Limits,
    private readonly origins: OriginPolicy,
    /** Whether the sender's address may open the websocket a reservation leads to (http/connections.ts). */
    private readonly roomForWebsocket: (req: IncomingMessage) => boolean,
    private readonly log: (line: string) => void,
  ) {
    this.joins = new RateLimiter(limits.joinsPerMinute, limits.joinsPerMinute / 60);
    // Reconnecting after a Wi-Fi drop must not eat the joining budget of the class behind the same NAT.
    this.reconnects = new RateLimiter(limits.joinsPerMinute, limits.joinsPerMinute / 60);
    this.seats = new Holdings(limits.reservationsPerAddress, (s) => s.pending || (s.roomId !== undefined && matchMaker.getLocalRoomById(s.roomId)?.hasReservedSeat(s.sessionId!) === true));
    this.rooms = new Holdings(limits.roomsPerAddress, (o) => o.pending || (o.roomId !== undefined && matchMaker.getLocalRoomById(o.roomId) !== undefined));
  }

  /** Wire to each room handler's "create" event. */
  roomCreated(room: Room): void {
    const opened = this.opening.getStore();
    if (opened) opened.roomId = room.roomId;
  }

  /** Drop buckets and holdings of addresses that have gone quiet. */
  sweep(now: number): void {
    this.joins.sweep(now);
    this.reconnects.sweep(now);
    this.seats.sweep();
    this.rooms.sweep();
  }

  /** Answers every request `reachesMatchmaker` accepts; never throws. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    this.answer(req, res).catch((e: unknown) => {
      this.log(`matchmake ${req.method} failed: ${(e as Error)?.message ?? e}`);
      if (!res.headersSent) reply(res, 500, { error: 'The server could not do that; try again.' });
      else res.destroy();
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cors = this.origins.corsHeaders(req);
    const refuse = (error: JoinError, extra: Record<string, string> = {}) => reply(res, error.code, { code: error.code, error: error.message }, { ...cors, ...extra });
    if (!this.origins.allows(req)) return refuse(JOIN_ERRORS.otherSite);
    if (req.method === 'OPTIONS') return reply(res, 204, undefined, cors);
    const call = req.method === 'POST' && req.url ? matchmakeCall(req.url) : undefined;
    if (!call) return refuse(JOIN_ERRORS.notHere);
    if (matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN) return refuse(JOIN_ERRORS.shuttingDown);

    const address = addressKey(req.socket.remoteAddress);
    const reconnecting = call.method === 'reconnect';
    if (!(reconnecting ? this.reconnects : this.joins).allow(address, Date.now())) return refuse(JOIN_ERRORS.rateLimited, { 'Retry-After': '60' });
    if (!this.roomForWebsocket(req)) return refuse(JOIN_ERRORS.tooManyConnections, { 'Retry-After': '10' });
    if (!reconnecting && this.seats.full(address)) return refuse(JOIN_ERRORS.tooManyWaiting, { 'Retry-After': '15' });
    const creates = CREATES.has(call.method);
    if (creates && this.rooms.full(address)) return refuse(JOIN_ERRORS.tooManyRooms);

    const body = await readCapped(req, MATCHMAKE_BODY_BYTES);
    if (body === 'tooLarge') {
      refuseUpload(req, res);
      return refuse(JOIN_ERRORS.tooLarge, { Connection: 'close' });
    }
    if (body === 'aborted') return void res.destroy();
    let options: unknown;
    try {
      options = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      options = undefined;
    }
    if (!isPlainObject(options)) return refuse(JOIN_ERRORS.badRequest);

    const seat: Seat = { pending: true };
    const opened: Opened = { pending: true };
    if (!reconnecting) this.seats.add(address, seat); // a reconnection takes up the seat kept for it
    if (creates) this.rooms.add(address, opened);
    try {
      const reservation = (await this.opening.run(opened, () =>
        matchMaker.controller.invokeMethod(call.method, call.roomName, options as Record<string, unknown>, {
          token: getBearerToken(req.headers.authorization ?? ''),
          headers: req.headers,
          ip: req.socket.remoteAddress ?? '',
          req,
        }),
      )) as { sessionId: string; room: { roomId: string } };
      seat.roomId = reservation.room.roomId;
      seat.sessionId = reservation.sessionId;
      reply(res, 200, reservation, cors);
    } catch (e) {
      // A room's refusal (wrong code, nickname taken, …): as Colyseus answers it, 200 with the code.
      if (!(e instanceof ServerError)) this.log(`matchmake ${call.method} ${call.roomName}: ${(e as Error)?.message ?? e}`);
      reply(res, 200, { code: (e as ServerError).code, error: (e as Error).message }, cors);
    } finally {
      seat.pending = false;
      opened.pending = false;
    }
  }
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/**
 * The body, or 'tooLarge' as soon as it is known to pass `cap` (from Content-Length, else
 * the moment the bytes read pass it), or 'aborted'. At most `cap` bytes are ever kept.
 */
function readCapped(req: IncomingMessage, cap: number): Promise<Buffer | 'tooLarge' | 'aborted'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!Number.isFinite(declared) || declared > cap) return Promise.resolve('tooLarge');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | 'tooLarge' | 'aborted') => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) return void chunks.push(chunk);
      req.pause();
      done('tooLarge');
    };
    const onEnd = () => done(Buffer.concat(chunks));
    const onClose = () => done('aborted');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

/**
 * Stop reading a refused upload (nothing more is buffered), let the 413 reach the sender,
 * then close the connection: draining the rest would let one sender keep the server busy.
 */
function refuseUpload(req: IncomingMessage, res: ServerResponse): void {
  req.pause();
  res.shouldKeepAlive = false;
  const timer = setTimeout(() => req.socket.destroy(), REFUSED_UPLOAD_CLOSE_MS);
  timer.unref();
  req.socket.once('close', () => clearTimeout(timer));
}
