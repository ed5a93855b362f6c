/**
 * A game room: four seats, one round at a time. Thin by design: it checks who may join and
 * send what, then hands the command to GameSession (server/src/game), which runs the shared
 * rules engine. The room code is the room id.
 */
import { Room, ServerError, type Client, type ClientPrivate } from '@colyseus/core';
import {
  CLOSE_CODES,
  GAME_CLIENT_MESSAGES,
  LIMITS,
  type GameClientMessages,
  type GameCreateOptions,
  type GameJoinOptions,
  type GameServerMessages,
  type ProtocolError,
} from '@heist/shared';
import type { ServerContext } from '../context.ts';
import type { MatchLink } from '../class/registry.ts';
import { GameSession } from '../game/session.ts';
import { recordCasualRound } from '../persistence/rounds.ts';
import { GameState } from '../schema/GameState.ts';
import { gameMessageChecks, isPlainObject } from '../validation/messages.ts';
import { checkNickname } from '../validation/names.ts';
import { answerUnknownMessages, guarded, logRoomException, MessageGate, sendError } from './gate.ts';
import { JOIN_ERRORS } from './joinErrors.ts';

interface GameAuth {
  nickname: string;
  /** The person behind the connection: a class player id, or a casual player's device key. */
  key?: string;
  /** Class play: the teacher watching (no seat). */
  watcher?: boolean;
  team?: string;
}

/** Class play: the lobby opens the room with this option; browsers cannot forge it. */
export interface MatchRoomOptions {
  matchKey: string;
}

type SeatCommand = Exclude<keyof GameClientMessages, 'action'>;

const SEAT_COMMANDS = GAME_CLIENT_MESSAGES.filter((t): t is SeatCommand => t !== 'action');

/** The session command behind each message (actions go to the rules engine's own parser). */
const COMMANDS: { [K in SeatCommand]: (session: GameSession, id: string, payload: GameClientMessages[K]) => ProtocolError | null } = {
  chooseSeat: (session, id, p) => session.chooseSeat(id, p.role),
  configure: (session, id, p) => session.configure(id, p.level, p.bots),
  start: (session, id) => session.start(id),
  setSpeed: (session, id, p) => session.setSpeedBy(id, p.speed),
  resync: (session, id) => session.resync(id),
};

/** A close code the client treats as meant (no reconnecting), with the reason shown. */
const CLOSED_ON_PURPOSE = CLOSE_CODES.closed;

export class GameRoom extends Room<GameState, unknown, unknown, GameAuth> {
  /** Set by the server that defines this room (see app.ts). */
  declare ctx: ServerContext;
  session!: GameSession;
  private gate!: MessageGate;
  private link: MatchLink | undefined;

  override onCreate(options: Partial<GameCreateOptions & MatchRoomOptions>): void {
    const rng = this.ctx.rng('game');
    this.link = options.matchKey !== undefined ? this.ctx.matches.get(options.matchKey) : undefined;
    if (options.matchKey !== undefined && !this.link) throw new ServerError(JOIN_ERRORS.notFound.code, 'No such class match.');
    this.roomId = this.ctx.codes.claim(rng);
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('game')
    this.maxClients = 40;
    this.state = new GameState().assign({ code: this.roomId, classCode: this.link?.classCode ?? '' });
    this.gate = new MessageGate(this.ctx.limits.messagesPerSecond);
    const link = this.link;
    this.session = new GameSession(
      this.state,
      rng,
      this.ctx.timing,
      this.ctx.scheduler,
      {
        send: (sessionId, type, payload) => this.sendTo(sessionId, type, payload),
        disconnect: (sessionId, reason) => this.clients.getById(sessionId)?.leave(CLOSE_CODES.replaced, reason),
        roundOver: (info) => (link ? link.roundOver(this.roomId, info) : void recordCasualRound(this.ctx.store, this.roomId, info)),
        log: this.ctx.log,
      },
      { managed: link !== undefined },
    );

    const where = `room ${this.roomId}`;
    this.onMessage('action', (client, raw) => guarded(client, 'action', this.ctx.log, where, () => this.reply(client, this.session.act(client.sessionId, raw))));
    for (const type of SEAT_COMMANDS)
      this.onMessage(type, (client, raw) => guarded(client, type, this.ctx.log, where, () => this.reply(client, this.command(client.sessionId, type, raw))));
    answerUnknownMessages(this);

    if (link) {
      this.autoDispose = false; // the class lobby closes it
      link.attach(this.roomId, {
        startRound: (plan, notice) => this.session.planRound(plan, notice),
        interrupt: (notice) => this.session.interrupt(notice),
        setSpeed: (speed) => this.session.setSpeed(speed),
        kick: (playerId) => {
          for (const c of this.clients) if (c.auth?.key === playerId) c.leave(CLOSED_ON_PURPOSE, 'The teacher removed you from the class.');
        },
        close: (reason) => {
          for (const c of this.clients) c.leave(CLOSED_ON_PURPOSE, reason);
          void this.disconnect().catch((e: unknown) => this.ctx.log(`room ${this.roomId}: closing failed: ${String(e)}`));
        },
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
      return { nickname: player.nickname, key: player.playerId, team: player.teamName };
    }
    const checked = checkNickname(opts.nickname);
    if (!checked.ok) throw new ServerError(JOIN_ERRORS.badNickname.code, checked.reason);
    const key = typeof opts.deviceKey === 'string' && LIMITS.deviceKeyPattern.test(opts.deviceKey) ? opts.deviceKey : undefined;
    if (this.session.nicknameTaken(checked.nickname, key)) throw new ServerError(JOIN_ERRORS.nicknameTaken.code, JOIN_ERRORS.nicknameTaken.message);
    return { nickname: checked.nickname, key };
  }

  override onJoin(client: Client, _options: unknown, auth: GameAuth): void {
    this.session.addMember(client.sessionId, {
      nickname: auth.nickname,
      host: this.state.members.size === 0 && !this.link,
      team: auth.team,
      key: auth.key,
      watcher: auth.watcher,
    });
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
  }

  override onDispose(): void {
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

  private reply(client: Client, error: ProtocolError | null): void {
    if (error) sendError(client, error);
  }

  /** A seat command, after its payload check. */
  private command<K extends SeatCommand>(id: string, type: K, raw: unknown): ProtocolError | null {
    const checked = gameMessageChecks[type](raw);
    return checked.ok ? COMMANDS[type](this.session, id, checked.value) : checked.error;
  }

  private sendTo<K extends keyof GameServerMessages>(sessionId: string, type: K, payload: GameServerMessages[K]): void {
    this.clients.getById(sessionId)?.send(type, payload);
  }
}
