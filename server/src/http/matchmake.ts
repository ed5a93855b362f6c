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
 *
 * Budgets and holdings are kept in the cluster's ledger (cluster/ledger.ts): in memory for
 * one process, in Redis for several, so an address has one budget however many processes its
 * requests reach. Calls still on their way are counted here, in this process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, matchMaker, ServerError, getBearerToken, type AuthContext } from '@colyseus/core';
import type { AddressLedger } from '../cluster/ledger.ts';
import type { Limits } from '../config.ts';
import type { Admission } from '../core/admission.ts';
import { JOIN_ERRORS, type JoinError } from '../validation/joinErrors.ts';
import { isPlainObject } from '../validation/messages.ts';
import type { ClientAddress } from './clientAddress.ts';
import type { OriginPolicy } from './origins.ts';

/** Join options are a nickname, a code, a ticket or a token: a few hundred bytes at most. */
export const MATCHMAKE_BODY_BYTES = 4 * 1024;
/**
 * What is still coming of a refused upload is read and dropped (nothing kept) for this long, then
 * the socket is closed: closing at once, with bytes still arriving, resets the connection, and
 * the reset loses the 413 on its way to the sender (curl: "Send failure: Broken pipe").
 */
const REFUSED_UPLOAD_LINGER_MS = 5000;

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

const CREATES = new Set(['create', 'joinOrCreate']);

/** Calls on their way, per address: each will hold a seat (and a room, if it creates one) once answered. */
class InFlight {
  private readonly counts = new Map<string, number>();
  of(address: string): number {
    return this.counts.get(address) ?? 0;
  }
  add(address: string, n: number): void {
    const next = this.of(address) + n;
    if (next > 0) this.counts.set(address, next);
    else this.counts.delete(address);
  }
}

export class MatchmakeDoor {
  private readonly seatsInFlight = new InFlight();
  private readonly roomsInFlight = new InFlight();

  constructor(
    private readonly limits: Limits,
    private readonly ledger: AddressLedger,
    private readonly origins: OriginPolicy,
    private readonly addressOf: ClientAddress,
    /** Whether the sender's address may open the websocket a reservation leads to (http/connections.ts). */
    private readonly roomForWebsocket: (req: IncomingMessage) => boolean,
    /** This process is shutting down, and there is no other to send new rooms to. */
    private readonly closed: () => boolean,
    /** The room's (or room class's) answer before any seat is reserved (rooms/admission.ts); undefined: nothing to ask. */
    private readonly admit: (call: { method: string; roomName: string }, options: unknown, address: string) => Promise<Admission | undefined>,
    private readonly log: (line: string) => void,
  ) {}

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
    const creates = CREATES.has(call.method);
    if (matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN || (creates && this.closed())) return refuse(JOIN_ERRORS.shuttingDown);

    const address = this.addressOf(req);
    const reconnecting = call.method === 'reconnect';
    if (!(await this.ledger.spend(reconnecting ? 'reconnects' : 'joins', address))) return refuse(JOIN_ERRORS.rateLimited, { 'Retry-After': '60' });
    if (!this.roomForWebsocket(req)) return refuse(JOIN_ERRORS.tooManyConnections, { 'Retry-After': '10' });
    // A reconnection takes up the seat kept for it.
    if (!reconnecting && (await this.ledger.seatsHeld(address)) + this.seatsInFlight.of(address) >= this.limits.reservationsPerAddress) return refuse(JOIN_ERRORS.tooManyWaiting, { 'Retry-After': '15' });
    if (creates && (await this.ledger.roomsHeld(address)) + this.roomsInFlight.of(address) >= this.limits.roomsPerAddress) return refuse(JOIN_ERRORS.tooManyRooms);

    const body = await readCapped(req, MATCHMAKE_BODY_BYTES);
    if (body === 'tooLarge') {
      refuseUpload(req);
      return refuse(JOIN_ERRORS.tooLarge);
    }
    if (body === 'aborted') return void res.destroy();
    let options: unknown;
    try {
      options = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      options = undefined;
    }
    if (!isPlainObject(options)) return refuse(JOIN_ERRORS.badRequest);

    const seats = reconnecting ? 0 : 1;
    const rooms = creates ? 1 : 0;
    this.seatsInFlight.add(address, seats);
    this.roomsInFlight.add(address, rooms);
    try {
      // Tickets, nicknames and the room's own caps are checked before a seat is reserved.
      const admitted = reconnecting ? undefined : await this.admit(call, options, address);
      if (admitted && !admitted.ok) return reply(res, 200, { code: admitted.code, error: admitted.message }, cors);
      const reservation = (await matchMaker.controller.invokeMethod(call.method, call.roomName, options as Record<string, unknown>, {
        token: getBearerToken(req.headers.authorization ?? ''),
        headers: req.headers,
        ip: req.socket.remoteAddress ?? '',
        req,
        admitted: admitted?.auth,
      } as AuthContext)) as { sessionId: string; room: { roomId: string } };
      if (seats) await this.ledger.seatReserved(address, reservation.room.roomId, reservation.sessionId);
      if (rooms) await this.ledger.roomOpened(address, reservation.room.roomId);
      reply(res, 200, reservation, cors);
    } catch (e) {
      const noSeat = call.method === 'joinById' && e instanceof ServerError ? await whyNoSeat(call.roomName, e) : undefined;
      if (!(e instanceof ServerError) || noSeat === JOIN_ERRORS.roomBusy) this.log(`matchmake ${call.method} ${call.roomName}: ${(e as Error)?.message ?? e}${noSeat ? ` (${noSeat.message})` : ''}`);
      if (noSeat === JOIN_ERRORS.roomBusy) return refuse(noSeat, { 'Retry-After': '5' });
      // A room's refusal (wrong code, nickname taken, full, …): as Colyseus answers it, 200 with the code.
      if (noSeat) return reply(res, 200, { code: noSeat.code, error: noSeat.message }, cors);
      reply(res, 200, { code: (e as ServerError).code, error: (e as Error).message }, cors);
    } finally {
      this.seatsInFlight.add(address, -seats);
      this.roomsInFlight.add(address, -rooms);
    }
  }
}

/**
 * A join by code that Colyseus refused for want of a seat, in true words; undefined for any
 * other refusal (its own words stand). Colyseus 0.16 has two: a room locks itself when its last
 * seat goes, and a join then hears `room "<code>" is locked`; and when a seat reservation in a
 * room on another process goes unanswered for the cross-process timeout
 * (cluster/presenceTimeout.ts) while that process still answers the health check that follows
 * (busy, stalled, collecting garbage), it says `<code> is already full.` of a room with seats.
 * The matchmaker rewraps both (invokeMethod: a ServerError with Colyseus' own text, the
 * SeatReservationError class not exported), so they are known by that exact text, and the room's
 * listing tells full from busy.
 */
async function whyNoSeat(roomId: string, e: ServerError): Promise<JoinError | undefined> {
  const colyseusFull = e.code === ErrorCode.MATCHMAKE_UNHANDLED && e.message === `${roomId} is already full.`;
  const colyseusLocked = e.code === ErrorCode.MATCHMAKE_INVALID_ROOM_ID && e.message === `room "${roomId}" is locked`;
  if (!colyseusFull && !colyseusLocked) return undefined;
  const [listing] = await matchMaker.query({ roomId }).catch(() => []);
  if (!listing) return undefined;
  if (listing.maxClients > 0 && listing.clients >= listing.maxClients) return JOIN_ERRORS.roomFull;
  return colyseusFull ? JOIN_ERRORS.roomBusy : undefined;
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
 * A refused upload: drop the rest of its body as it arrives (nothing is kept) while the 413
 * reaches the sender, who stops sending once it reads it. A body that ends in time leaves the
 * connection as any answered request does; one still coming after REFUSED_UPLOAD_LINGER_MS is
 * cut off, so no sender keeps the server reading for long (nginx's lingering close).
 */
function refuseUpload(req: IncomingMessage): void {
  const timer = setTimeout(() => req.socket.destroy(), REFUSED_UPLOAD_LINGER_MS);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.socket.once('close', done);
  req.on('data', () => undefined);
  req.resume();
}
