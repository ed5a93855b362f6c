/**
 * A game room over websockets: Colyseus' side of core/gameHost.ts, which decides everything
 * else (hostedRoom.ts does the joining and leaving). The room code is the room id; the class
 * lobby reaches the room by remote calls (`matchCommand`; the teacher's downloads, `teacherFile`),
 * the matchmaker's door by `admission`.
 */
import { GAME_CLIENT_MESSAGES, type GameCreateOptions } from '@heist/shared';
import type { MatchCommand, MatchRoomOptions } from '../class/matchLink.ts';
import type { Admitted } from '../core/admission.ts';
import { GameHost, type GameAuth } from '../core/gameHost.ts';
import type { GameState } from '../schema/GameState.ts';
import { admittedBy, pendingAdmissions, type AdmittingContext } from './admission.ts';
import { colyseusCalls, refusedAsServerError, roomIO } from './colyseusPorts.ts';
import { HostedRoom } from './hostedRoom.ts';

export class GameRoom extends HostedRoom<GameState, GameAuth, GameHost> {
  override async onCreate(options: Partial<GameCreateOptions & MatchRoomOptions>): Promise<void> {
    this.host = await refusedAsServerError(GameHost.open(this.ctx, colyseusCalls(this.ctx), roomIO(this), options));
    this.roomId = this.host.code;
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('game')
    this.maxClients = 40;
    this.state = this.host.state;
    this.listenAll(GAME_CLIENT_MESSAGES, (id, type, raw) => this.host.message(id, type, raw));
    if (!this.host.match) return;
    // Listed with its class: a lobby reopened after its process died waits for the rooms of the match cut short.
    void this.setMetadata({ classCode: this.host.match.classCode });
    this.autoDispose = false; // the class lobby closes it (or, if the lobby is gone, the room itself)
  }

  protected where(): string {
    return `room ${this.roomId}`;
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
}
