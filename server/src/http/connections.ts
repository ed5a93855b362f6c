/**
 * Caps on open connections (an HTTP connection or a websocket: one socket each).
 *
 * In all: Node's own `maxConnections` closes what passes the total before any code runs, so a
 * flood cannot use up the process's file descriptors.
 *
 * Per address (a whole school behind its NAT): when an address is at its cap, a new socket
 * takes the place of that address's oldest idle one (connected but asking nothing for a
 * second or more, or kept alive between requests: what a held-open flood is made of), so a
 * flood cannot lock out the students behind the same address. A socket younger than that may
 * just not have sent its request yet, and requests in flight and websockets are never idle:
 * when nothing can give way, the newcomer is refused, kept just long enough to answer its
 * request with a plain 503 (see `isRefused`), a few at a time; beyond that closed at once.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from '../validation/perAddress.ts';

/** A socket idle this long may give way to a newcomer from its address. */
const EVICTABLE_AFTER_MS = 1000;
/** How long a refused socket may stay open to hear why. */
const REFUSED_SOCKET_MS = 2000;
/** Refused sockets kept to be told why, per address; more are closed unanswered. */
const REFUSALS_KEPT = 8;

type Sockets = Map<Socket, { idleSince: number | undefined }>;

export class ConnectionCaps {
  /** Per address, its admitted sockets in the order they connected, with when each fell idle (undefined: busy). */
  private readonly open = new Map<string, Sockets>();
  private readonly refused = new Map<string, Set<Socket>>();

  constructor(
    private readonly perAddress: number,
    private readonly total: number,
    /** Peers not capped per address: reverse proxies of ours (TRUST_PROXY), each carrying many clients. */
    private readonly uncapped: (peer: string | undefined) => boolean = () => false,
  ) {}

  watch(server: http.Server): void {
    server.maxConnections = this.total;
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('upgrade', (req: http.IncomingMessage) => this.mark(req.socket, undefined)); // a websocket is never idle
  }

  /** A socket over its address's cap: answer 503 to whatever it asks. */
  isRefused(socket: Socket): boolean {
    return this.refused.get(addressKey(socket.remoteAddress))?.has(socket) ?? false;
  }

  /**
   * Whether the address of `req` can open one more socket now (the websocket that follows a
   * join): it is under its cap, or another of its sockets can give way. The matchmaker's door
   * asks first, so a student is refused in words rather than by a websocket that fails.
   */
  hasRoomForAnother(req: http.IncomingMessage): boolean {
    if (this.uncapped(req.socket.remoteAddress)) return true;
    const mine = this.open.get(addressKey(req.socket.remoteAddress));
    return !mine || mine.size < this.perAddress || this.oldestIdle(mine, req.socket) !== undefined;
  }

  /** Call for every request: its socket is busy until the response is done. */
  requestStarted(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.mark(req.socket, undefined);
    res.once('finish', () => this.mark(req.socket, performance.now()));
  }

  private mark(socket: Socket, idleSince: number | undefined): void {
    const entry = this.open.get(addressKey(socket.remoteAddress))?.get(socket);
    if (entry) entry.idleSince = idleSince;
  }

  private admit(socket: Socket): void {
    if (this.uncapped(socket.remoteAddress)) return;
    const key = addressKey(socket.remoteAddress);
    let mine = this.open.get(key);
    if (!mine) this.open.set(key, (mine = new Map()));
    if (mine.size >= this.perAddress) {
      const oldestIdle = this.oldestIdle(mine);
      if (!oldestIdle) return this.refuse(key, socket);
      mine.delete(oldestIdle);
      oldestIdle.destroy();
    }
    mine.set(socket, { idleSince: performance.now() });
    socket.once('close', () => {
      mine.delete(socket);
      if (mine.size === 0 && this.open.get(key) === mine) this.open.delete(key);
    });
  }

  private oldestIdle(mine: Sockets, except?: Socket): Socket | undefined {
    const now = performance.now();
    for (const [socket, s] of mine) if (socket !== except && s.idleSince !== undefined && now - s.idleSince >= EVICTABLE_AFTER_MS) return socket;
    return undefined;
  }

  private refuse(key: string, socket: Socket): void {
    let kept = this.refused.get(key);
    if (!kept) this.refused.set(key, (kept = new Set()));
    if (kept.size >= REFUSALS_KEPT) return void socket.destroy();
    kept.add(socket);
    const timer = setTimeout(() => socket.destroy(), REFUSED_SOCKET_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      kept.delete(socket);
      if (kept.size === 0 && this.refused.get(key) === kept) this.refused.delete(key);
    });
  }
}
