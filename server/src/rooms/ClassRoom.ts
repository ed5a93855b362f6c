/**
 * A class lobby: the room id is the class code. The teacher joins with the teacher secret and
 * is the only one whose messages are obeyed; students join by nickname (or rejoin with their
 * player token). The class itself lives in class/lobby.ts.
 */
import { Room, ServerError, matchMaker, type Client, type ClientPrivate } from '@colyseus/core';
import { CLASS_CLIENT_MESSAGES, ROOM, type ClassClientMessage, type ClassClientMessages, type ClassJoinOptions, type ClassServerMessages, type ProtocolError } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import { ClassLobby } from '../class/lobby.ts';
import type { ClassState } from '../schema/ClassState.ts';
import { classMessageChecks, isPlainObject } from '../validation/messages.ts';
import { checkNickname } from '../validation/names.ts';
import { answerUnknownMessages, guarded, logRoomException, MessageGate, sendError } from './gate.ts';
import { JOIN_ERRORS } from './joinErrors.ts';

type ClassAuth = { teacher: true } | { teacher: false; playerId: string; playerToken?: string };

/** Only the server opens class rooms (on POST /api/classes and at start-up). */
export interface ClassRoomOptions {
  classCode: string;
  openKey: string;
}

type Outcome = ProtocolError | null | Promise<ProtocolError | null>;

/** The lobby command behind each teacher message. */
const COMMANDS: { [K in ClassClientMessage]: (lobby: ClassLobby, payload: ClassClientMessages[K]) => Outcome } = {
  formTeams: (lobby, p) => lobby.formTeams(p.teams),
  autoBalance: (lobby, p) => lobby.autoBalance(p.teamCount),
  setLevels: (lobby, p) => lobby.setLevels(p.levels),
  startMatch: (lobby) => lobby.startMatch(),
  pause: (lobby) => lobby.pause(),
  resume: (lobby) => lobby.resume(),
  nextRound: (lobby, p) => lobby.nextRound(p.round),
  holdAdvance: (lobby, p) => lobby.holdAdvance(p.hold),
  endMatch: (lobby) => lobby.endMatch(),
  removePlayer: (lobby, p) => lobby.removePlayer(p.playerId),
};

export class ClassRoom extends Room<ClassState, unknown, unknown, ClassAuth> {
  declare ctx: ServerContext;
  /** Per-process key proving the server itself asked for this room. */
  declare openKey: string;
  private lobby!: ClassLobby;
  private gate!: MessageGate;

  override onCreate(options: Partial<ClassRoomOptions>): void {
    if (options.openKey !== this.openKey || typeof options.classCode !== 'string' || !this.ctx.store.classExists(options.classCode))
      throw new ServerError(JOIN_ERRORS.notFound.code, JOIN_ERRORS.notFound.message);
    this.roomId = options.classCode;
    this.ctx.codes.hold(options.classCode);
    this.autoDispose = false;
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('class')
    this.maxClients = 200;
    this.gate = new MessageGate(this.ctx.limits.messagesPerSecond);
    this.lobby = new ClassLobby(options.classCode, this.ctx, {
      sendToPlayer: (playerId, type, payload) => this.sendToPlayer(playerId, type, payload),
      openGameRoom: async (matchKey) => (await matchMaker.createRoom(ROOM.game, { matchKey })).roomId,
      kickFromLobby: (playerId) => {
        for (const c of this.clients) if (c.auth && !c.auth.teacher && c.auth.playerId === playerId) c.leave(4000);
      },
      sendToTeacher: (type, payload) => {
        for (const c of this.clients) if (c.auth?.teacher) c.send(type, payload);
      },
      isConnected: (playerId) => this.clients.some((c) => c.auth !== undefined && !c.auth.teacher && c.auth.playerId === playerId),
    });
    this.state = this.lobby.state;
    for (const type of CLASS_CLIENT_MESSAGES) this.onMessage(type, (client, raw) => guarded(client, type, this.ctx.log, `class ${this.roomId}`, () => this.handle(client, type, raw)));
    answerUnknownMessages(this);
  }

  override onAuth(_client: Client, options: unknown): ClassAuth {
    const opts = (isPlainObject(options) ? options : {}) as Partial<ClassJoinOptions>;
    if (opts.teacherSecret !== undefined) {
      if (!this.lobby.teacherSecretMatches(opts.teacherSecret)) throw new ServerError(JOIN_ERRORS.teacherSecret.code, JOIN_ERRORS.teacherSecret.message);
      return { teacher: true };
    }
    if (opts.playerToken !== undefined) {
      const player = this.lobby.playerByToken(opts.playerToken);
      if (!player) throw new ServerError(JOIN_ERRORS.notFound.code, 'That player token is not known in this class.');
      if (player.removed) throw new ServerError(JOIN_ERRORS.removed.code, JOIN_ERRORS.removed.message);
      return { teacher: false, playerId: player.id, playerToken: opts.playerToken };
    }
    const checked = checkNickname(opts.nickname);
    if (!checked.ok) throw new ServerError(JOIN_ERRORS.badNickname.code, checked.reason);
    if (this.lobby.nicknameTaken(checked.nickname)) throw new ServerError(JOIN_ERRORS.nicknameTaken.code, JOIN_ERRORS.nicknameTaken.message);
    const { playerId, playerToken } = this.lobby.addStudent(checked.nickname);
    return { teacher: false, playerId, playerToken };
  }

  override onJoin(client: Client, _options: unknown, auth: ClassAuth): void {
    if (auth.teacher) {
      this.state.teacherPresent = true;
      this.lobby.teacherJoined();
      return;
    }
    if (auth.playerToken) client.send('welcome', { playerId: auth.playerId, playerToken: auth.playerToken });
    this.lobby.setConnected(auth.playerId, true);
  }

  override async onLeave(client: Client<unknown, ClassAuth>, consented: boolean): Promise<void> {
    this.gate.forget(client);
    const auth = client.auth;
    if (!auth) return;
    if (!consented) {
      try {
        if (!auth.teacher) this.lobby.setConnected(auth.playerId, false);
        await this.allowReconnection(client, this.ctx.timing.reconnectSeconds);
        if (!auth.teacher) this.lobby.setConnected(auth.playerId, true);
        return;
      } catch {
        // gone: fall through
      }
    }
    if (auth.teacher) this.state.teacherPresent = this.clients.some((c) => c.auth?.teacher === true);
    else if (!this.clients.some((c) => !c.auth?.teacher && c.auth?.playerId === auth.playerId)) this.lobby.setConnected(auth.playerId, false);
  }

  override onDispose(): void {
    this.lobby.dispose();
    this.ctx.codes.release(this.roomId);
  }

  override onUncaughtException(error: Error, method: string): void {
    logRoomException(this.ctx.log, `class ${this.roomId}`, error, method);
  }

  protected override _onMessage(client: Client & ClientPrivate, buffer: Buffer): void {
    if (this.gate.admit(client, buffer)) super._onMessage(client, buffer);
  }

  /** Teacher commands only (run guarded: a failing one answers serverError and never escapes). */
  private async handle<K extends ClassClientMessage>(client: Client<unknown, ClassAuth>, type: K, raw: unknown): Promise<void> {
    if (!client.auth?.teacher) return sendError(client, { code: 'notAllowed', message: 'Only the teacher can do that.', type });
    const checked = classMessageChecks[type](raw);
    if (!checked.ok) return sendError(client, checked.error);
    const error = await COMMANDS[type](this.lobby, checked.value);
    if (error) sendError(client, error);
  }

  private sendToPlayer<K extends keyof ClassServerMessages>(playerId: string, type: K, payload: ClassServerMessages[K]): void {
    for (const c of this.clients) if (c.auth && !c.auth.teacher && c.auth.playerId === playerId) c.send(type, payload);
  }
}
