/**
 * A game room over websockets: Colyseus' side of core/gameHost.ts, which decides everything
 * else. The room code is the room id; every message passes the gate (gate.ts) on its way to
 * the host; a class match's lobby reaches the room by remote calls (`matchCommand`, and the
 * teacher's downloads by `teacherFile`), the matchmaker's door by `admission`.
 */
import { Room, type Client } from '@colyseus/core';
import { GAME_CLIENT_MESSAGES, type GameCreateOptions } from '@heist/shared';
import type { MatchCommand, MatchRoomOptions } from '../class/matchLink.ts';
import type { ServerContext } from '../context.ts';
import type { Admitted } from '../core/admission.ts';
import { GameHost, type GameAuth } from '../core/gameHost.ts';
import type { GameState } from '../schema/GameState.ts';
import { admittedBy, pendingAdmissions, type AdmittingContext } from './admission.ts';
import { colyseusCalls, reconnectionOf, refusedAsServerError, roomIO } from './colyseusPorts.ts';
import { answerUnknownMessages, listen, logRoomException, MessageGate, sendError } from './gate.ts';

export class GameRoom extends Room<GameState, unknown, unknown, GameAuth> {
  /** Set by the server that defines this room (see app.ts). */
  declare ctx: ServerContext;
  host!: GameHost;
  private gate!: MessageGate;

  override async onCreate(options: Partial<GameCreateOptions & MatchRoomOptions>): Promise<void> {
    this.host = await refusedAsServerError(GameHost.open(this.ctx, colyseusCalls(this.ctx), roomIO(this), options));
    this.roomId = this.host.code;
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('game')
    this.maxClients = 40;
    this.state = this.host.state;
    this.gate = new MessageGate(this.ctx.limits.messagesPerSecond, () => this.ctx.scheduler.now());
    for (const type of GAME_CLIENT_MESSAGES)
      listen(this, this.gate, type, this.ctx.log, `room ${this.roomId}`, (client, raw) => {
        const error = this.host.message(client.sessionId, type, raw);
        if (error) sendError(client, error);
      });
    answerUnknownMessages(this, this.gate);
    if (!this.host.match) return;
    // Listed with its class: a lobby reopened after its process died waits for the rooms of the match cut short.
    void this.setMetadata({ classCode: this.host.match.classCode });
    this.autoDispose = false; // the class lobby closes it (or, if the lobby is gone, the room itself)
  }

  /** Colyseus 0.16 runs this, not an instance onAuth, when a seat is asked for: the answer `admission` gave (rooms/admission.ts). */
  static override async onAuth(_token: string, _options: unknown, context: AdmittingContext): Promise<unknown> {
    return admittedBy(context);
  }

  /** Asked by the matchmaker's door before a seat here is reserved (maybe from another process). */
  admission(options: unknown, address: string) {
    return this.host.admission(options, address, pendingAdmissions<GameAuth & Admitted>(this.reservedSeats));
  }

  teacherFile(classCode: string, file: string) {
    return this.host.teacherFile(classCode, file);
  }

  matchCommand(matchKey: string, command: MatchCommand): boolean {
    return this.host.matchCommand(matchKey, command);
  }

  override onJoin(client: Client, _options: unknown, auth: GameAuth): void {
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
    logRoomException(this.ctx.log, `room ${this.roomId}`, error, method);
  }
}
