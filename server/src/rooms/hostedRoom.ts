/**
 * What GameRoom and ClassRoom share: Colyseus' side of a host in core/ (gameHost.ts,
 * classHost.ts). Every connection is watched by the gate (again after it came back), its seat
 * reserved at the door counts as taken, and its joining and leaving go to the host; a dropped
 * connection's place is Colyseus' allowReconnection in its manual mode, timed by the host.
 * Shutdown and disposal are the host's. Nothing of Colyseus is overridden beyond its hooks.
 */
import { Room, type Client } from '@colyseus/core';
import type { ProtocolError } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import type { Reconnection } from '../core/connections.ts';
import { reconnectionOf } from './colyseusPorts.ts';
import { answerUnknownMessages, listen, logRoomException, MessageGate, sendError } from './gate.ts';

export interface Host<Auth> {
  joined(id: string, auth: Auth): void;
  left<C>(id: string, reconnection?: Reconnection<C>): Promise<C | undefined>;
  shutDown(): Promise<void>;
  dispose(): void;
}

export abstract class HostedRoom<State extends object, Auth, H extends Host<Auth>> extends Room<State, unknown, unknown, Auth> {
  /** Set by the server that defines the room (see app.ts). */
  declare ctx: ServerContext;
  host!: H;
  private gate!: MessageGate;

  /** Every message type the room takes goes to `handle` past the gate (and guarded); any other is answered unknownMessage. */
  protected listenAll<T extends string>(types: readonly T[], handle: (id: string, type: T, raw: unknown) => ProtocolError | null | Promise<ProtocolError | null>): void {
    this.gate = new MessageGate(this.ctx.limits.messagesPerSecond, () => this.ctx.scheduler.now());
    for (const type of types)
      listen(this, type, this.ctx.log, this.where(), (client, raw) => {
        const reply = (error: ProtocolError | null) => error && sendError(client, error);
        const answer = handle(client.sessionId, type, raw);
        return answer instanceof Promise ? answer.then(reply) : reply(answer);
      });
    answerUnknownMessages(this);
  }

  /** The room, for the log. */
  protected abstract where(): string;

  override onJoin(client: Client, _options: unknown, auth: Auth): void {
    this.gate.watch(client);
    this.ctx.cluster.ledger.seatTaken(client.sessionId);
    this.host.joined(client.sessionId, auth);
  }

  override async onLeave(client: Client, consented: boolean): Promise<void> {
    this.gate.forget(client);
    const back = await this.host.left(client.sessionId, consented ? undefined : reconnectionOf(this, client));
    if (back) this.gate.watch(back);
  }

  override onBeforeShutdown(): void {
    void this.host.shutDown();
  }

  override onDispose(): void {
    this.host?.dispose();
  }

  override onUncaughtException(error: Error, method: string): void {
    logRoomException(this.ctx.log, this.where(), error, method);
  }
}
