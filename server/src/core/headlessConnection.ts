/**
 * One person's connection to one room of the headless server (headless.ts), treated as Colyseus
 * treats a websocket client: what its room sends reaches the person while it is open; when it
 * drops, its room keeps the place through a reconnection allowance (the room's host times it on
 * the scheduler); a close the server means (CLOSE_CODES.closed) counts as consented, any other
 * as a drop that will not come back; closing the room gives up every place still kept.
 */
import { CLOSE_CODES } from '@heist/shared';
import type { Reconnection } from './connections.ts';

/** Someone at the other end of a connection. */
export interface Peer<Out> {
  receive<K extends keyof Out>(type: K, payload: Out[K]): void;
  /** The server closed the connection (or it was lost), with the words the browser shows. */
  closed(code: number, reason: string): void;
}

/** A peer as a connection holds it, whatever its messages. */
export interface AnyPeer {
  receive(type: string, payload: unknown): void;
  closed(code: number, reason: string): void;
}

/** The room's side: a host (gameHost.ts, classHost.ts) hears its connections leave. */
export interface Hosted {
  left<C>(id: string, reconnection?: Reconnection<C>): Promise<C | undefined>;
}

export class Connection {
  private state: 'open' | 'dropped' | 'closed' = 'open';
  /** The place the room keeps while the connection may come back. */
  private kept: { resolve(id: string): void; reject(e: Error): void } | undefined;

  constructor(
    readonly id: string,
    readonly host: Hosted,
    private readonly peer: AnyPeer,
  ) {}

  deliver(type: string, payload: unknown): void {
    if (this.state === 'open') this.peer.receive(type, payload);
  }

  /** Dropped without a goodbye (a closed lid, a reload): the room keeps the place while it may come back. */
  drop(): void {
    if (this.state !== 'open') return;
    this.state = 'dropped';
    void this.host.left(this.id, this.allowance());
  }

  /** Back on the same session, within the allowance (a reload). */
  reconnect(): void {
    if (this.state !== 'dropped' || !this.kept) return;
    this.state = 'open';
    this.kept.resolve(this.id);
    this.kept = undefined;
  }

  /** Leaves on purpose. */
  leave(): void {
    if (this.state !== 'open') return;
    this.state = 'closed';
    void this.host.left(this.id);
  }

  /** The server closes it (after the words reach the person, its room hears it leave, as from Colyseus' close event). */
  closedByServer(code: number, reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'closed';
    this.peer.closed(code, reason);
    queueMicrotask(() => void this.host.left(this.id, code === CLOSE_CODES.closed ? undefined : this.allowance()));
  }

  /** Its room's process died: the person sees the connection lost, and nothing of the room runs any more. */
  lost(): void {
    if (this.state === 'open') this.peer.closed(1006, 'connection lost');
    this.state = 'closed';
  }

  /** The room closes: a place it still keeps goes with it. */
  roomClosed(): void {
    this.kept?.reject(new Error('the room closed'));
    this.kept = undefined;
    this.state = 'closed';
  }

  private allowance(): Reconnection<string> {
    const back = new Promise<string>((resolve, reject) => (this.kept = { resolve, reject }));
    back.catch(() => undefined); // given up with nobody waiting any more: not an error
    return {
      back,
      giveUp: (why) => {
        this.kept?.reject(new Error(why));
        this.kept = undefined;
        if (this.state === 'dropped') this.state = 'closed';
      },
    };
  }
}
