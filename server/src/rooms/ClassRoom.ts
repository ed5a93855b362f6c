/**
 * A class lobby over websockets: Colyseus' side of core/classHost.ts, which decides everything
 * else (hostedRoom.ts does the joining and leaving). The room id is the class code; the game
 * rooms of the match reach the lobby by remote calls (the LobbyCalls of class/matchLink.ts), the
 * matchmaker's door by `admission`.
 */
import type { Client } from '@colyseus/core';
import { CLASS_CLIENT_MESSAGES } from '@heist/shared';
import type { LobbyCalls, RoundReport } from '../class/matchLink.ts';
import { ClassHost, type ClassAuth, type ClassRoomOptions } from '../core/classHost.ts';
import type { ClassState } from '../schema/ClassState.ts';
import { colyseusCalls, refusedAsServerError, roomIO } from './colyseusPorts.ts';
import { HostedRoom } from './hostedRoom.ts';

export class ClassRoom extends HostedRoom<ClassState, ClassAuth, ClassHost> implements LobbyCalls {
  override async onCreate(options: Partial<ClassRoomOptions>): Promise<void> {
    this.host = await refusedAsServerError(ClassHost.open(this.ctx, colyseusCalls(this.ctx), roomIO(this), options));
    this.roomId = this.host.code;
    this.autoDispose = false;
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('class')
    this.maxClients = 200;
    this.state = this.host.lobby.state;
    this.listenAll(CLASS_CLIENT_MESSAGES, (id, type, raw) => this.host.command(id, type, raw));
  }

  protected where(): string {
    return `class ${this.roomId}`;
  }

  /** Asked by the matchmaker's door before a seat here is reserved (rooms/admission.ts); again, with the student written, as the websocket arrives. */
  admission(options: unknown, address: string) {
    return this.host.admission(options, address);
  }

  override onAuth(_client: Client, options: unknown): Promise<ClassAuth> {
    return refusedAsServerError(this.host.authenticate(options));
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
}
