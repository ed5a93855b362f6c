/**
 * Caps on open connections (HTTP and websocket alike: one socket each). In all, Node's own
 * `maxConnections` closes what passes the total before any code runs, so a flood cannot use up
 * the process's file descriptors. Per address, a socket past the cap is kept just long enough
 * to answer its request with a plain refusal (503, see `isRefused`), then closed: the student
 * is told why, and an idle flood frees its sockets within seconds.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from '../validation/perAddress.ts';

/** How long a refused socket may stay open to hear why. */
const REFUSED_SOCKET_MS = 2000;

export class ConnectionCaps {
  private readonly open = new Map<string, number>();
  private readonly refused = new WeakSet<Socket>();

  constructor(
    private readonly perAddress: number,
    private readonly total: number,
  ) {}

  watch(server: http.Server): void {
    server.maxConnections = this.total;
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  /** A socket over its address's cap: answer 503 to whatever it asks. */
  isRefused(socket: Socket): boolean {
    return this.refused.has(socket);
  }

  openFrom(remote: string | undefined): number {
    return this.open.get(addressKey(remote)) ?? 0;
  }

  private admit(socket: Socket): void {
    const key = addressKey(socket.remoteAddress);
    const count = this.open.get(key) ?? 0;
    if (count >= this.perAddress) {
      this.refused.add(socket);
      const timer = setTimeout(() => socket.destroy(), REFUSED_SOCKET_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
      return;
    }
    this.open.set(key, count + 1);
    socket.once('close', () => {
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    });
  }
}
