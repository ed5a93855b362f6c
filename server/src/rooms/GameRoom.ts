/**
 * A game room: four seats, one round at a time. Thin by design: it checks who may send what,
 * then hands the command to GameSession (server/src/game), which runs the shared rules engine.
 * The room code is the room id.
 */
import { Room, ServerError, type Client, type ClientPrivate } from '@colyseus/core';
import {
  GAME_CLIENT_MESSAGES,
  type GameClientMessages,
  type GameCreateOptions,
  type GameJoinOptions,
  type GameServerMessages,
  type Role,
} from '@heist/shared';
import type { ServerContext } from '../context.ts';
import type { MatchLink, MatchRoomControls } from '../class/registry.ts';
import { GameSession } from '../game/session.ts';
import { recordCasualRound } from '../persistence/rounds.ts';
import { GameState } from '../schema/GameState.ts';
import { gameMessageChecks, isPlainObject } from '../validation/messages.ts';
import { checkNickname } from '../validation/names.ts';
import { answerUnknownMessages, guarded, logRoomException, MessageGate, sendError } from './gate.ts';
import { JOIN_ERRORS } from './joinErrors.ts';

interface GameAuth {
  nickname: string;
  /** Class play: the teacher watching (no seat). */
  watcher?: boolean;
  playerId?: string;
  teamName?: string;
}

/** Class play: the lobby opens the room with this option; browsers cannot forge it. */
export interface MatchRoomOptions {
  matchKey: string;
}

type StartRequest = Parameters<MatchRoomControls['startRound']>[0];

export class GameRoom extends Room<GameState, unknown, unknown, GameAuth> {
  /** Set by the server that defines this room (see app.ts). */
  declare ctx: ServerContext;
  session!: GameSession;
  private gate!: MessageGate;
  private link: MatchLink | undefined;
  /** Class play: the player behind each connection (kept while a dropped player may return). */
  private readonly playerOf = new Map<string, string>();
  private plan: ReadonlyMap<string, Role> = new Map();
  private teamOf: ReadonlyMap<string, string> = new Map();
  private pendingStart: { request: StartRequest; timer: NodeJS.Timeout } | undefined;

  override onCreate(options: Partial<GameCreateOptions & MatchRoomOptions>): void {
    const rng = this.ctx.rng('game');
    this.link = options.matchKey !== undefined ? this.ctx.matches.get(options.matchKey) : undefined;
    if (options.matchKey !== undefined && !this.link) throw new ServerError(JOIN_ERRORS.notFound.code, 'No such class match.');
    this.roomId = this.ctx.codes.claim(rng);
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('game')
    this.maxClients = 40;
    this.state = new GameState().assign({ code: this.roomId, classCode: this.link?.classCode ?? '' });
    this.gate = new MessageGate(this.ctx.limits.messagesPerSecond);
    this.session = new GameSession(
      this.state,
      rng,
      this.ctx.timing,
      {
        send: (sessionId, type, payload) => this.sendTo(sessionId, type, payload),
        roundOver: (info) => {
          if (!this.link) return void recordCasualRound(this.ctx.store, this.roomId, info);
          const players = info.seated.flatMap(({ sessionId, role }) => {
            const playerId = this.playerOf.get(sessionId);
            return playerId !== undefined ? [{ playerId, role }] : [];
          });
          this.link.roundOver(this.roomId, { ...info, players });
        },
        log: this.ctx.log,
      },
      { managed: this.link !== undefined },
    );

    for (const type of GAME_CLIENT_MESSAGES) this.onMessage(type, (client, raw) => guarded(client, type, this.ctx.log, `room ${this.roomId}`, () => this.handle(client, type, raw)));
    answerUnknownMessages(this);

    if (this.link) {
      this.autoDispose = false; // the class lobby closes it
      this.link.attach(this.roomId, {
        startRound: (request) => this.startMatchRound(request),
        setSpeed: (speed) => this.session.setSpeed(speed),
        kick: (playerId) => {
          for (const c of this.clients) if (this.playerOf.get(c.sessionId) === playerId) c.leave(4000);
        },
        close: () => void this.disconnect(),
      });
    } else if (options.demo === true) {
      this.session.startDemo();
    }
  }

  override onAuth(_client: Client, options: unknown): GameAuth {
    const opts = (isPlainObject(options) ? options : {}) as Partial<GameJoinOptions>;
    if (this.link) {
      if (typeof opts.ticket === 'string' && this.link.isWatcher(opts.ticket)) return { nickname: 'Teacher', watcher: true };
      const player = typeof opts.ticket === 'string' ? this.link.player(opts.ticket) : undefined;
      if (!player) throw new ServerError(JOIN_ERRORS.badTicket.code, JOIN_ERRORS.badTicket.message);
      return { nickname: player.nickname, playerId: player.playerId, teamName: player.teamName };
    }
    const checked = checkNickname(opts.nickname);
    if (!checked.ok) throw new ServerError(JOIN_ERRORS.badNickname.code, checked.reason);
    if (this.session.nicknameTaken(checked.nickname)) throw new ServerError(JOIN_ERRORS.nicknameTaken.code, JOIN_ERRORS.nicknameTaken.message);
    return { nickname: checked.nickname };
  }

  override onJoin(client: Client, _options: unknown, auth: GameAuth): void {
    if (auth.playerId !== undefined) this.playerOf.set(client.sessionId, auth.playerId);
    const host = this.state.members.size === 0 && !this.state.demo && !this.link;
    this.session.addMember(client.sessionId, {
      nickname: auth.nickname,
      host,
      team: auth.teamName ?? '',
      role: auth.playerId !== undefined ? (this.plan.get(auth.playerId) ?? '') : '',
    });
    this.maybeStartPending();
  }

  override async onLeave(client: Client, consented: boolean): Promise<void> {
    this.gate.forget(client);
    if (!consented) {
      this.session.memberDropped(client.sessionId);
      try {
        await this.allowReconnection(client, this.ctx.timing.reconnectSeconds);
        this.session.memberBack(client.sessionId);
        return;
      } catch {
        // not back in time: fall through, and a bot takes the seat
      }
    }
    this.session.removeMember(client.sessionId);
    this.playerOf.delete(client.sessionId);
  }

  override onDispose(): void {
    clearTimeout(this.pendingStart?.timer);
    this.session.dispose();
    this.ctx.codes.release(this.roomId);
  }

  override onUncaughtException(error: Error, method: string): void {
    logRoomException(this.ctx.log, `room ${this.roomId}`, error, method);
  }

  /** Size and rate checks run on the raw frame, before Colyseus decodes it. */
  protected override _onMessage(client: Client & ClientPrivate, buffer: Buffer): void {
    if (this.gate.admit(client, buffer)) super._onMessage(client, buffer);
  }

  private handle<K extends keyof GameClientMessages>(client: Client<unknown, GameAuth>, type: K, raw: unknown): void {
    const id = client.sessionId;
    if (client.auth?.watcher) return sendError(client, { code: 'notAllowed', message: 'Watching only.', type });
    let error;
    if (type === 'action') {
      error = this.session.act(id, raw);
    } else {
      const checked = gameMessageChecks[type as Exclude<K, 'action'>](raw);
      if (!checked.ok) return sendError(client, checked.error);
      const v = checked.value as GameClientMessages[Exclude<K, 'action'>];
      if (type === 'chooseSeat') error = this.session.chooseSeat(id, (v as GameClientMessages['chooseSeat']).role);
      else if (type === 'configure') {
        const c = v as GameClientMessages['configure'];
        error = this.session.configure(id, c.level, c.bots);
      } else if (type === 'start') error = this.session.start(id);
      else error = this.session.setSpeedBy(id, (v as GameClientMessages['setSpeed']).speed);
    }
    if (error) sendError(client, error);
  }

  private sendTo<K extends keyof GameServerMessages>(sessionId: string, type: K, payload: GameServerMessages[K]): void {
    this.clients.getById(sessionId)?.send(type, payload);
  }

  // ── Class play ───────────────────────────────────────────────────────────

  private startMatchRound(request: StartRequest): void {
    clearTimeout(this.pendingStart?.timer);
    this.plan = request.plan;
    this.teamOf = request.teamOf;
    this.session.applyPlan(
      (sessionId) => this.plan.get(this.playerOf.get(sessionId) ?? '') ?? '',
      (sessionId) => this.teamOf.get(this.playerOf.get(sessionId) ?? '') ?? '',
    );
    this.pendingStart = { request, timer: setTimeout(() => this.beginPending(), request.graceMs) };
    this.maybeStartPending();
  }

  /** Start as soon as every expected player is in the room. */
  private maybeStartPending(): void {
    if (!this.pendingStart) return;
    const present = new Set(this.playerOf.values());
    if (this.pendingStart.request.expected.every((id) => present.has(id))) this.beginPending();
  }

  private beginPending(): void {
    const pending = this.pendingStart;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingStart = undefined;
    this.session.startRound(pending.request.level, pending.request.bots);
  }
}
