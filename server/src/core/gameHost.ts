/**
 * A game room as the server runs it, without Colyseus: four seats, one round at a time. It
 * checks who may join and send what, then hands the command to GameSession (server/src/game),
 * which runs the shared rules engine. rooms/GameRoom.ts carries it over websockets; the
 * headless server (headless.ts) carries it in process, on a drivable clock.
 *
 * A room of a class match is opened by the class lobby, maybe from another server process, and
 * talks with it in messages only (class/matchLink.ts): commands arrive through `matchCommand`;
 * tickets are checked, and results reported, by calls to the lobby (roomCalls.ts).
 *
 * Its rounds are not lost if the lobby is out of reach: the room writes each result itself
 * (the lobby's copy is the same row), and reports it through a courier that tries again until
 * the lobby has it (cluster/courier.ts). When the lobby's process dies, the match is over for
 * the room: it lets the round being played end, records it, and closes; a lobby that answers
 * it runs no such match (it was reopened elsewhere) closes it too. Nothing is left open.
 */
import {
  CLOSE_CODES,
  DOWNLOAD_FILES,
  assertNever,
  toBase64,
  type GameClientMessage,
  type GameClientMessages,
  type GameCreateOptions,
  type GameJoinOptions,
  type GameServerMessages,
  type ProtocolError,
} from '@heist/shared';
import { planFrom, roundReport, type ClassRoundContext, type GameRoomCalls, type MatchCommand, type MatchRoomOptions, type TicketHolder } from '../class/matchLink.ts';
import { Courier } from '../cluster/courier.ts';
import type { ServerContext } from '../context.ts';
import { GameSession, type RoundOver } from '../game/session.ts';
import { classRoundRecord, recordCasualRound } from '../persistence/rounds.ts';
import { GameState } from '../schema/GameState.ts';
import { repeat, type Timer } from '../time/scheduler.ts';
import { JOIN_ERRORS } from '../validation/joinErrors.ts';
import { gameMessageChecks, isPlainObject } from '../validation/messages.ts';
import { sameNickname } from '../validation/names.ts';
import { casualAuth, refuse, Refused, RESERVATIONS_PER_ADDRESS_IN_ROOM, RESERVATIONS_PER_PERSON, type Admission, type Admitted } from './admission.ts';
import { awaitReturn, type Reconnection, type RoomIO } from './connections.ts';
import type { RoomCalls } from './roomCalls.ts';

export interface GameAuth {
  nickname: string;
  /** The person behind the connection: a class player id, or a casual player's device key. */
  key?: string;
  /** Class play: the teacher watching (no seat). */
  watcher?: boolean;
  team?: string;
}

/** The class match a room belongs to. */
interface MatchOf {
  classCode: string;
  matchKey: string;
  /** The process running the class's lobby. */
  lobbyProcessId: string;
}

type SeatCommand = Exclude<GameClientMessage, 'action'>;

/** The session command behind each message (actions go to the rules engine's own parser). */
const COMMANDS: { [K in SeatCommand]: (session: GameSession, id: string, payload: GameClientMessages[K]) => ProtocolError | null } = {
  chooseSeat: (session, id, p) => session.chooseSeat(id, p.role),
  configure: (session, id, p) => session.configure(id, p.level, p.bots, p.event),
  start: (session, id) => session.start(id),
  setSpeed: (session, id, p) => session.setSpeedBy(id, p.speed),
  resync: (session, id) => session.resync(id),
  download: (session, id, p) => session.download(id, p.file),
};

/** A close code the client treats as meant (no reconnecting), with the reason shown. */
const CLOSED_ON_PURPOSE = CLOSE_CODES.closed;
/** Why a class room closes by itself: its lobby is gone (its process died, or it was reopened elsewhere). */
const LOBBY_GONE = "The class's match was stopped (its server went away). Join the class again with its code.";
/** A class room without a round for this long asks its lobby whether it still belongs to the match. */
const ASK_WHEN_IDLE_MS = 30_000;
/** At shutdown, the last word to the lobby may take this long. */
const SHUTDOWN_TELL_MS = 3000;

export class GameHost implements GameRoomCalls {
  readonly state: GameState;
  readonly session: GameSession;
  /** Reports to the class lobby, one after another, each until the lobby has it. */
  private readonly toLobby: Courier | undefined;
  /** The class round being played, as the lobby described it: part of its record and its report. */
  private classRound: ClassRoundContext | undefined;
  private lobbyWatch: Timer | undefined;
  /** The lobby is gone: the room closes once no round is being played. */
  private orphaned = false;
  /** The connections in the room now, by id. */
  private readonly present = new Map<string, GameAuth>();
  /** Dropped connections that may still come back (see `replaced`). */
  private readonly reconnections = new Map<string, Reconnection<unknown>>();

  private constructor(
    readonly code: string,
    private readonly ctx: ServerContext,
    private readonly calls: RoomCalls,
    private readonly io: RoomIO<GameServerMessages>,
    readonly match: MatchOf | undefined,
    rng: ReturnType<ServerContext['rng']>,
  ) {
    this.state = new GameState().assign({ code, classCode: match?.classCode ?? '' });
    this.session = new GameSession(
      this.state,
      rng,
      ctx.timing,
      ctx.scheduler,
      {
        send: (id, type, payload) => io.send(id, type, payload),
        disconnect: (id, reason) => this.replaced(id, reason),
        roundOver: (info) => this.roundOver(info),
        log: ctx.log,
      },
      { managed: match !== undefined, rsaKeys: ctx.rsaKeys },
    );
    if (!match) return;
    this.toLobby = new Courier(`room ${code} to class ${match.classCode}`, ctx.scheduler, ctx.log);
    if (calls.severalProcesses) this.watchLobby(match);
  }

  /** A casual room (a demo, if asked), or a class match's room, which only a lobby of this deployment opens. */
  static async open(ctx: ServerContext, calls: RoomCalls, io: RoomIO<GameServerMessages>, options: Partial<GameCreateOptions & MatchRoomOptions>): Promise<GameHost> {
    let match: MatchOf | undefined;
    if (options.matchKey !== undefined) {
      if (options.openKey !== ctx.cluster.openKey || typeof options.classCode !== 'string' || typeof options.matchKey !== 'string' || typeof options.lobbyProcessId !== 'string')
        throw new Refused(JOIN_ERRORS.notFound.code, 'No such class match.');
      match = { classCode: options.classCode, matchKey: options.matchKey, lobbyProcessId: options.lobbyProcessId };
    }
    const rng = ctx.rng('game');
    const host = new GameHost(await ctx.codes.claim(rng), ctx, calls, io, match, rng);
    if (!match && options.demo === true) host.session.startDemo();
    return host;
  }

  // ── People ───────────────────────────────────────────────────────────────

  /** Asked before a seat is reserved (`pending`: the seats reserved and not yet taken up). */
  async admission(options: unknown, address: string, pending: readonly (GameAuth & Admitted)[]): Promise<Admission<GameAuth & Admitted>> {
    const opts = (isPlainObject(options) ? options : {}) as Partial<GameJoinOptions>;
    if (pending.filter((a) => a.address === address).length >= RESERVATIONS_PER_ADDRESS_IN_ROOM) return refuse(JOIN_ERRORS.roomCrowded);
    if (this.match) {
      const holder = typeof opts.ticket === 'string' ? await this.ticketHolder(this.match, opts.ticket) : null;
      if (holder?.watcher) return { ok: true, auth: { nickname: 'Teacher', watcher: true, address } };
      if (!holder) return refuse(JOIN_ERRORS.badTicket);
      if (pending.filter((a) => a.key === holder.playerId).length >= RESERVATIONS_PER_PERSON) return refuse(JOIN_ERRORS.stillConnecting);
      return { ok: true, auth: { nickname: holder.nickname, key: holder.playerId, team: holder.teamName, address } };
    }
    const auth = casualAuth(opts);
    if (!auth.ok) return auth;
    const { nickname, key } = auth.auth;
    if (this.session.nicknameTaken(nickname, key) || pending.some((a) => sameNickname(a.nickname, nickname) && (key === undefined || a.key !== key)))
      return refuse(JOIN_ERRORS.nicknameTaken);
    if (key !== undefined && pending.filter((a) => a.key === key).length >= RESERVATIONS_PER_PERSON) return refuse(JOIN_ERRORS.stillConnecting);
    return { ok: true, auth: { ...auth.auth, address } };
  }

  /** The lobby says who a ticket admits (it may run on another process). */
  private async ticketHolder(match: MatchOf, ticket: string): Promise<TicketHolder> {
    if (ticket.length > 100) return null;
    try {
      return await this.calls.toLobby(match.classCode, 'matchTicket', [match.matchKey, ticket]);
    } catch (e) {
      this.ctx.log(`room ${this.code}: class ${match.classCode} did not answer for a ticket: ${(e as Error)?.message ?? e}`);
      return null;
    }
  }

  joined(id: string, auth: GameAuth): void {
    this.present.set(id, auth);
    this.session.addMember(id, { nickname: auth.nickname, host: this.state.members.size === 0 && !this.match, team: auth.team, key: auth.key, watcher: auth.watcher });
  }

  /**
   * A connection left: on purpose (gone), or dropped, when its seat is kept while it may come
   * back (`reconnection`). Resolves with the connection that came back, if it did; else a bot
   * takes the seat if it is now empty.
   */
  async left<C>(id: string, reconnection?: Reconnection<C>): Promise<C | undefined> {
    const auth = this.present.get(id);
    this.present.delete(id);
    if (reconnection) {
      this.session.memberDropped(id);
      this.reconnections.set(id, reconnection);
      const back = await awaitReturn(this.ctx.scheduler, this.ctx.timing.reconnectSeconds, `room ${this.code}: a dropped seat kept`, reconnection);
      this.reconnections.delete(id);
      if (back !== undefined) {
        if (auth) this.present.set(id, auth);
        this.session.memberBack(id);
        return back;
      }
    }
    this.session.removeMember(id);
    return undefined;
  }

  /**
   * The same person opened the room again (a second tab, or a reloaded page that came back by
   * its seat ticket): the old connection is closed, and one that had dropped may not come back
   * with its old token — it would be a connection the room no longer seats.
   */
  private replaced(id: string, reason: string): void {
    this.io.close(id, CLOSE_CODES.replaced, reason);
    this.reconnections.get(id)?.giveUp('replaced by a newer connection');
  }

  /** A message from a connection (past the gate): an action for the rules engine, or a seat command after its payload check. */
  message(id: string, type: GameClientMessage, raw: unknown): ProtocolError | null {
    return type === 'action' ? this.session.act(id, raw) : this.command(id, type, raw);
  }

  private command<K extends SeatCommand>(id: string, type: K, raw: unknown): ProtocolError | null {
    const checked = gameMessageChecks[type](raw);
    return checked.ok ? COMMANDS[type](this.session, id, checked.value) : checked.error;
  }

  /**
   * The teacher's download (the HTTP route checked the teacher secret of `classCode`; it may
   * ask from another process, so the bytes travel as base64). A room answers for its own class only.
   */
  teacherFile(classCode: string, file: string): { filename: string; mediaType: string; base64: string } | { error: string; status: number } {
    if (!this.match || this.match.classCode !== classCode) return { error: 'No such room in this class.', status: 404 };
    if (!(DOWNLOAD_FILES as readonly string[]).includes(file)) return { error: 'No such file.', status: 404 };
    const got = this.session.teacherFile(file as (typeof DOWNLOAD_FILES)[number]);
    if ('code' in got) return { error: got.message, status: got.code === 'rateLimited' ? 429 : 409 };
    return { filename: got.filename, mediaType: got.mediaType, base64: toBase64(got.bytes) };
  }

  // ── The class match ──────────────────────────────────────────────────────

  /** A command from the class lobby; one without this room's match key is ignored. */
  matchCommand(matchKey: string, command: MatchCommand): boolean {
    if (!this.match || matchKey !== this.match.matchKey) return false;
    switch (command.kind) {
      case 'startRound': {
        // Delivered again (its answer was lost on the way): that round is already under way.
        const started = this.classRound;
        if (started?.matchNumber === command.record.matchNumber && started.roundIndex === command.record.roundIndex) break;
        this.classRound = command.record;
        this.session.planRound(planFrom(command.plan), command.notice);
        break;
      }
      case 'setSpeed':
        this.session.setSpeed(command.speed);
        break;
      case 'kick':
        for (const [id, auth] of [...this.present]) if (auth.key === command.playerId) this.io.close(id, CLOSED_ON_PURPOSE, 'The teacher removed you from the class.');
        break;
      case 'close':
        this.close(command.reason);
        break;
      default:
        return assertNever(command);
    }
    return true;
  }

  private close(reason: string): void {
    for (const id of [...this.present.keys()]) this.io.close(id, CLOSED_ON_PURPOSE, reason);
    void this.io.dispose().catch((e: unknown) => this.ctx.log(`room ${this.code}: closing failed: ${String(e)}`));
  }

  private roundOver(info: RoundOver): void {
    if (!this.match || !this.toLobby) {
      recordCasualRound(this.ctx.store, this.code, info).catch((e: unknown) => this.ctx.log(`room ${this.code}: recording the round failed: ${(e as Error)?.stack ?? e}`));
      return;
    }
    const { classCode, matchKey } = this.match;
    const round = this.classRound;
    if (!round) return this.ctx.log(`room ${this.code}: a round of class ${classCode} ended that the lobby did not start`);
    const report = roundReport(info, round);
    // Kept here first: the lobby may be out of reach, or gone. Its own record of the round is the same row.
    this.ctx.store
      .recordRound(classRoundRecord(classCode, this.code, report, () => true))
      .catch((e: unknown) => this.ctx.log(`room ${this.code}: recording round ${round.roundIndex + 1} failed: ${(e as Error)?.stack ?? e}`));
    if (this.orphaned) return this.close(LOBBY_GONE);
    void this.toLobby
      .send(`round ${round.roundIndex + 1} of match ${round.matchNumber}`, () => this.calls.toLobby(classCode, 'matchRoundOver', [matchKey, report]), () => !this.orphaned)
      .then((answer) => answer === 'unknownMatch' && this.lobbyGone(classCode, 'its lobby runs no such match'));
  }

  /** The class's lobby is gone: the round being played may end (and is recorded), then the room closes. */
  private lobbyGone(classCode: string, why: string): void {
    if (this.orphaned) return;
    this.orphaned = true;
    this.lobbyWatch?.cancel();
    this.ctx.log(`room ${this.code}: class ${classCode} is gone (${why}); closing ${this.state.phase === 'playing' ? 'after this round' : 'now'}`);
    if (this.state.phase !== 'playing') return this.close(LOBBY_GONE);
    this.session.setSpeed(1); // paused by the teacher, who can no longer resume it: it must end
  }

  /**
   * Every heartbeat: is the lobby's process still alive? And, after a while without a round, does
   * the lobby still count this room in its match? (A room it stopped counting — replaced, or opened
   * twice when a request to open it was answered too late — would otherwise stay open for good.)
   */
  private watchLobby({ classCode, matchKey, lobbyProcessId }: MatchOf): void {
    const now = () => this.ctx.scheduler.now();
    let idleSince = now();
    this.lobbyWatch = repeat(this.ctx.scheduler, this.ctx.timing.heartbeatMs, `room ${this.code}: watching its class`, this.ctx.log, async () => {
      if (await this.calls.processGone(lobbyProcessId)) return this.lobbyGone(classCode, `its process ${lobbyProcessId} stopped`);
      if (this.state.phase === 'playing') idleSince = now();
      if (now() - idleSince < ASK_WHEN_IDLE_MS) return;
      idleSince = now();
      const known = await this.calls.toLobby(classCode, 'matchKnown', [matchKey]).catch(() => true);
      if (!known) this.lobbyGone(classCode, 'its lobby runs no such match');
    });
  }

  // ── Shutting down ────────────────────────────────────────────────────────

  /**
   * SIGTERM: a round being played may finish first (for up to SHUTDOWN_WAIT_MS; a demo does not
   * wait), its result reported or recorded; a class's lobby hears that the room goes (it records
   * an unfinished round as interrupted and opens the next round's room on a live process). Then
   * everyone is told and the room closes. Time is the scheduler's.
   */
  async shutDown(): Promise<void> {
    const { scheduler, timing } = this.ctx;
    const where = `room ${this.code}: shutdown`;
    try {
      if (!this.state.demo) await Promise.race([this.session.roundEnded(), new Promise<void>((resolve) => scheduler.after(timing.shutdownWaitMs, where, resolve))]);
      const { match, toLobby } = this;
      if (match && toLobby && !this.orphaned) {
        // After any report still on its way; given up if the lobby cannot be reached in time (its own watch then notices).
        const giveUp = scheduler.after(SHUTDOWN_TELL_MS, where, () => toLobby.stop());
        await toLobby.send('closing', () => this.calls.toLobby(match.classCode, 'matchRoomClosing', [match.matchKey]));
        giveUp.cancel();
      }
      this.close('The server is restarting.');
    } catch (e) {
      this.ctx.log(`${where} failed: ${(e as Error)?.stack ?? e}`);
    }
  }

  dispose(): void {
    this.lobbyWatch?.cancel();
    this.toLobby?.stop();
    this.session.dispose();
    this.ctx.codes.release(this.code);
  }
}
