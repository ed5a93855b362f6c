/**
 * A class lobby over websockets: Colyseus' side of core/classHost.ts, which decides everything
 * else. The room id is the class code; every message passes the gate (gate.ts) on its way to
 * the host; the game rooms of the match reach the lobby by remote calls (the LobbyCalls of
 * class/matchLink.ts), the matchmaker's door by `admission`.
 */
import { Room, type Client } from '@colyseus/core';
import { CLASS_CLIENT_MESSAGES } from '@heist/shared';
import type { LobbyCalls, RoundReport } from '../class/matchLink.ts';
import type { ServerContext } from '../context.ts';
import { ClassHost, type ClassAuth, type ClassRoomOptions } from '../core/classHost.ts';
import type { ClassState } from '../schema/ClassState.ts';
import { colyseusCalls, reconnectionOf, refusedAsServerError, roomIO } from './colyseusPorts.ts';
import { answerUnknownMessages, listen, logRoomException, MessageGate, sendError } from './gate.ts';

export class ClassRoom extends Room<ClassState, unknown, unknown, ClassAuth> implements LobbyCalls {
  declare ctx: ServerContext;
  private host!: ClassHost;
  private gate!: MessageGate;

  override async onCreate(options: Partial<ClassRoomOptions>): Promise<void> {
    this.host = await refusedAsServerError(ClassHost.open(this.ctx, colyseusCalls(this.ctx), roomIO(this), options));
    this.roomId = this.host.code;
    this.autoDispose = false;
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('class')
    this.maxClients = 200;
    this.state = this.host.lobby.state;
    this.gate = new MessageGate(this.ctx.limits.messagesPerSecond, () => this.ctx.scheduler.now());
    for (const type of CLASS_CLIENT_MESSAGES)
      listen(this, this.gate, type, this.ctx.log, `class ${this.roomId}`, async (client, raw) => {
        const error = await this.host.command(client.sessionId, type, raw);
        if (error) sendError(client, error);
      });
    answerUnknownMessages(this, this.gate);
  }

  matchTicket(matchKey: string, ticket: unknown) {
    return this.host.matchTicket(matchKey, ticket);
  }

  matchRoundOver(matchKey: string, report: RoundReport) {
    return this.host.matchRoundOver(matchKey, report);
  }

  matchKnown(matchKey: string) {
    return this.host.matchKnown(matchKey);
  }

  matchRoomClosing(matchKey: string) {
    return this.host.matchRoomClosing(matchKey);
  }

  /** Asked by the matchmaker's door before a seat here is reserved (rooms/admission.ts). */
  admission(options: unknown, address: string) {
    return this.host.admission(options, address);
  }

  override onAuth(_client: Client, options: unknown): Promise<ClassAuth> {
    return refusedAsServerError(this.host.authenticate(options));
  }

  override onJoin(client: Client, _options: unknown, auth: ClassAuth): void {
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
    logRoomException(this.ctx.log, `class ${this.roomId}`, error, method);
  }
}
