/**
 * A game room: four seats, one round at a time. Thin by design: it checks who may join and
 * send what, then hands the command to GameSession (server/src/game), which runs the shared
 * rules engine. The room code is the room id.
 *
 * A room of a class match is opened by the class lobby, maybe from another server process, and
 * talks with it in messages only (class/matchLink.ts): commands arrive through `matchCommand`;
 * tickets are checked, and results reported, by remote calls to the lobby's room.
 *
 * Its rounds are not lost if the lobby is out of reach: the room writes each result itself
 * (the lobby's copy is the same row), and reports it through a courier that tries again until
 * the lobby has it (cluster/courier.ts). When the lobby's process dies, the match is over for
 * the room: it lets the round being played end, records it, and closes; a lobby that answers
 * it runs no such match (it was reopened elsewhere) closes it too. Nothing is left open.
 */
import { Room, ServerError, type Client } from '@colyseus/core';
import {
  CLOSE_CODES,
  DOWNLOAD_FILES,
  assertNever,
  toBase64,
  GAME_CLIENT_MESSAGES,
  type GameClientMessages,
  type GameCreateOptions,
  type GameJoinOptions,
  type GameServerMessages,
  type ProtocolError,
} from '@heist/shared';
import type { ServerContext } from '../context.ts';
import { planFrom, roundReport, type ClassRoundContext, type MatchCommand, type MatchRoomOptions, type ReportAnswer, type TicketHolder } from '../class/matchLink.ts';
import { Courier } from '../cluster/courier.ts';
import { callRoom, processGone } from '../cluster/remote.ts';
import { GameSession, type RoundOver } from '../game/session.ts';
import { classRoundRecord, recordCasualRound } from '../persistence/rounds.ts';
import { guardedLoop, type Loop } from '../safety.ts';
import { GameState } from '../schema/GameState.ts';
import { gameMessageChecks, isPlainObject } from '../validation/messages.ts';
import { sameNickname } from '../validation/names.ts';
import { admittedBy, casualAuth, pendingAdmissions, refuse, RESERVATIONS_PER_ADDRESS_IN_ROOM, RESERVATIONS_PER_PERSON, type Admission, type Admitted, type AdmittingContext } from './admission.ts';
import { answerUnknownMessages, listen, logRoomException, MessageGate, sendError } from './gate.ts';
import { JOIN_ERRORS } from '../validation/joinErrors.ts';

interface GameAuth {
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

type SeatCommand = Exclude<keyof GameClientMessages, 'action'>;

const SEAT_COMMANDS = GAME_CLIENT_MESSAGES.filter((t): t is SeatCommand => t !== 'action');

/** The session command behind each message (actions go to the rules engine's own parser). */
const COMMANDS: { [K in SeatCommand]: (session: GameSession, id: string, payload: GameClientMessages[K]) => ProtocolError | null } = {
  chooseSeat: (session, id, p) => session.chooseSeat(id, p.role),
  configure: (session, id, p) => session.configure(id, p.level, p.bots),
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

export class GameRoom extends Room<GameState, unknown, unknown, GameAuth> {
  /** Set by the server that defines this room (see app.ts). */
  declare ctx: ServerContext;
  session!: GameSession;
  private gate!: MessageGate;
  private match: MatchOf | undefined;
  /** Reports to the class lobby, one after another, each until the lobby has it. */
  private toLobby!: Courier;
  /** The class round being played, as the lobby described it: part of its record and its report. */
  private classRound: ClassRoundContext | undefined;
  private lobbyWatch: Loop | undefined;
  /** The lobby is gone: the room closes once no round is being played. */
  private orphaned = false;
  /** Dropped connections that may still come back, by session (see `replaced`). */
  private readonly reconnections = new Map<string, ReturnType<Room['allowReconnection']>>();

  override async onCreate(options: Partial<GameCreateOptions & MatchRoomOptions>): Promise<void> {
    const rng = this.ctx.rng('game');
    if (options.matchKey !== undefined) {
      // Only a class lobby (one of this deployment's processes) opens a class's room.
      if (options.openKey !== this.ctx.cluster.openKey || typeof options.classCode !== 'string' || typeof options.matchKey !== 'string' || typeof options.lobbyProcessId !== 'string')
        throw new ServerError(JOIN_ERRORS.notFound.code, 'No such class match.');
      this.match = { classCode: options.classCode, matchKey: options.matchKey, lobbyProcessId: options.lobbyProcessId };
    }
    this.roomId = await this.ctx.codes.claim(rng);
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('game')
    this.maxClients = 40;
    this.state = new GameState().assign({ code: this.roomId, classCode: this.match?.classCode ?? '' });
    this.gate = new MessageGate(this.ctx.limits.messagesPerSecond, () => this.ctx.scheduler.now());
    this.session = new GameSession(
      this.state,
      rng,
      this.ctx.timing,
      this.ctx.scheduler,
      {
        send: (sessionId, type, payload) => this.sendTo(sessionId, type, payload),
        disconnect: (sessionId, reason) => this.replaced(sessionId, reason),
        roundOver: (info) => this.roundOver(info),
        log: this.ctx.log,
      },
      { managed: this.match !== undefined, rsaKeys: this.ctx.rsaKeys },
    );

    const where = `room ${this.roomId}`;
    listen(this, this.gate, 'action', this.ctx.log, where, (client, raw) => this.reply(client, this.session.act(client.sessionId, raw)));
    for (const type of SEAT_COMMANDS) listen(this, this.gate, type, this.ctx.log, where, (client, raw) => this.reply(client, this.command(client.sessionId, type, raw)));
    answerUnknownMessages(this, this.gate);

    if (this.match) {
      // Listed with its class: a lobby reopened after its process died waits for the rooms of the match cut short.
      void this.setMetadata({ classCode: this.match.classCode });
      this.autoDispose = false; // the class lobby closes it (or, if the lobby is gone, the room itself)
      this.toLobby = new Courier(`room ${this.roomId} to class ${this.match.classCode}`, this.ctx.scheduler, this.ctx.log);
      if (this.ctx.cluster.kind !== 'local') this.watchLobby(this.match.lobbyProcessId);
    } else if (options.demo === true) this.session.startDemo();
  }

  /**
   * The teacher's download (the HTTP route checked the teacher secret of `classCode`;
   * matchMaker.remoteRoomCall, maybe from another process, so the bytes travel as base64).
   * A room answers for its own class only.
   */
  teacherFile(classCode: string, file: string): { filename: string; mediaType: string; base64: string } | { error: string; status: number } {
    if (!this.match || this.match.classCode !== classCode) return { error: 'No such room in this class.', status: 404 };
    if (!(DOWNLOAD_FILES as readonly string[]).includes(file)) return { error: 'No such file.', status: 404 };
    const got = this.session.teacherFile(file as (typeof DOWNLOAD_FILES)[number]);
    if ('code' in got) return { error: got.message, status: got.code === 'rateLimited' ? 429 : 409 };
    return { filename: got.filename, mediaType: got.mediaType, base64: toBase64(got.bytes) };
  }

  /** A command from the class lobby (matchMaker.remoteRoomCall); one without this room's match key is ignored. */
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
        for (const c of this.clients) if (c.auth?.key === command.playerId) c.leave(CLOSED_ON_PURPOSE, 'The teacher removed you from the class.');
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
    for (const c of this.clients) c.leave(CLOSED_ON_PURPOSE, reason);
    void this.disconnect().catch((e: unknown) => this.ctx.log(`room ${this.roomId}: closing failed: ${String(e)}`));
  }

  private roundOver(info: RoundOver): void {
    if (!this.match) {
      recordCasualRound(this.ctx.store, this.roomId, info).catch((e: unknown) => this.ctx.log(`room ${this.roomId}: recording the round failed: ${(e as Error)?.stack ?? e}`));
      return;
    }
    const { classCode, matchKey } = this.match;
    const round = this.classRound;
    if (!round) return this.ctx.log(`room ${this.roomId}: a round of class ${classCode} ended that the lobby did not start`);
    const report = roundReport(info, round);
    // Kept here first: the lobby may be out of reach, or gone. Its own record of the round is the same row.
    this.ctx.store
      .recordRound(classRoundRecord(classCode, this.roomId, report, () => true))
      .catch((e: unknown) => this.ctx.log(`room ${this.roomId}: recording round ${round.roundIndex + 1} failed: ${(e as Error)?.stack ?? e}`));
    if (this.orphaned) return this.close(LOBBY_GONE);
    void this.toLobby
      .send(`round ${round.roundIndex + 1} of match ${round.matchNumber}`, () => callRoom<ReportAnswer>(classCode, 'matchRoundOver', [matchKey, report], this.ctx.timing.remoteCallMs), () => !this.orphaned)
      .then((answer) => answer === 'unknownMatch' && this.lobbyGone('its lobby runs no such match'));
  }

  /** The class's lobby is gone: the round being played may end (and is recorded), then the room closes. */
  private lobbyGone(why: string): void {
    if (this.orphaned) return;
    this.orphaned = true;
    this.lobbyWatch?.stop();
    this.ctx.log(`room ${this.roomId}: class ${this.match!.classCode} is gone (${why}); closing ${this.state.phase === 'playing' ? 'after this round' : 'now'}`);
    if (this.state.phase !== 'playing') return this.close(LOBBY_GONE);
    this.session.setSpeed(1); // paused by the teacher, who can no longer resume it: it must end
  }

  /**
   * Every heartbeat: is the lobby's process still alive? And, after a while without a round, does
   * the lobby still count this room in its match? (A room it stopped counting — replaced, or opened
   * twice when a request to open it was answered too late — would otherwise stay open for good.)
   */
  private watchLobby(processId: string): void {
    const { classCode, matchKey } = this.match!;
    const now = () => this.ctx.scheduler.now();
    let idleSince = now();
    this.lobbyWatch = guardedLoop(`room ${this.roomId}: watching its class`, this.ctx.timing.heartbeatMs, this.ctx.log, async () => {
      if (await processGone(this.ctx.cluster, processId, this.ctx.timing.remoteCallMs)) return this.lobbyGone(`its process ${processId} stopped`);
      if (this.state.phase === 'playing') idleSince = now();
      if (now() - idleSince < ASK_WHEN_IDLE_MS) return;
      idleSince = now();
      const known = await callRoom<boolean>(classCode, 'matchKnown', [matchKey], this.ctx.timing.remoteCallMs).catch(() => true);
      if (!known) this.lobbyGone('its lobby runs no such match');
    });
  }

  /** Colyseus 0.16 runs this, not an instance onAuth, when a seat is asked for: the answer `admission` gave (rooms/admission.ts). */
  static override async onAuth(_token: string, _options: unknown, context: AdmittingContext): Promise<unknown> {
    return admittedBy(context);
  }

  /** Asked by the matchmaker's door before a seat here is reserved (maybe from another process). */
  async admission(options: unknown, address: string): Promise<Admission<GameAuth & Admitted>> {
    const opts = (isPlainObject(options) ? options : {}) as Partial<GameJoinOptions>;
    const pending = pendingAdmissions<GameAuth & Admitted>(this.reservedSeats);
    if (pending.filter((a) => a.address === address).length >= RESERVATIONS_PER_ADDRESS_IN_ROOM) return refuse(JOIN_ERRORS.roomCrowded);
    if (this.match) {
      const holder = typeof opts.ticket === 'string' ? await this.ticketHolder(opts.ticket) : null;
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
  private async ticketHolder(ticket: string): Promise<TicketHolder> {
    if (ticket.length > 100) return null;
    try {
      return await callRoom<TicketHolder>(this.match!.classCode, 'matchTicket', [this.match!.matchKey, ticket], this.ctx.timing.remoteCallMs);
    } catch (e) {
      this.ctx.log(`room ${this.roomId}: class ${this.match!.classCode} did not answer for a ticket: ${(e as Error)?.message ?? e}`);
      return null;
    }
  }

  override onJoin(client: Client, _options: unknown, auth: GameAuth): void {
    this.gate.watch(client);
    this.ctx.cluster.ledger.seatTaken(client.sessionId);
    this.session.addMember(client.sessionId, {
      nickname: auth.nickname,
      host: this.state.members.size === 0 && !this.match,
      team: auth.team,
      key: auth.key,
      watcher: auth.watcher,
    });
  }

  override async onLeave(client: Client, consented: boolean): Promise<void> {
    this.gate.forget(client);
    if (!consented) {
      this.session.memberDropped(client.sessionId);
      const reconnection = this.allowReconnection(client, this.ctx.timing.reconnectSeconds);
      this.reconnections.set(client.sessionId, reconnection);
      try {
        this.gate.watch(await reconnection);
        this.session.memberBack(client.sessionId);
        return;
      } catch {
        // not back in time (or replaced): fall through, and a bot takes the seat if it is now empty
      } finally {
        this.reconnections.delete(client.sessionId);
      }
    }
    this.session.removeMember(client.sessionId);
  }

  /**
   * The same person opened the room again (a second tab, or a reloaded page that came back by
   * its seat ticket): the old connection is closed, and one that had dropped may not come back
   * with its old token — it would be a connection the room no longer seats.
   */
  private replaced(sessionId: string, reason: string): void {
    this.clients.getById(sessionId)?.leave(CLOSE_CODES.replaced, reason);
    this.reconnections.get(sessionId)?.reject(new Error('replaced by a newer connection'));
  }

  /**
   * SIGTERM: a round being played may finish first (for up to SHUTDOWN_WAIT_MS; a demo does not
   * wait), its result reported or recorded; a class's lobby hears that the room goes (it records
   * an unfinished round as interrupted and opens the next round's room on a live process). Then
   * everyone is told and the room closes.
   */
  override onBeforeShutdown(): void {
    const { scheduler, timing } = this.ctx;
    const where = `room ${this.roomId}: shutdown`;
    const finish = async () => {
      if (!this.state.demo) await Promise.race([this.session.roundEnded(), new Promise<void>((resolve) => scheduler.after(timing.shutdownWaitMs, where, resolve))]);
      const match = this.match;
      if (match && !this.orphaned) {
        // After any report still on its way; given up if the lobby cannot be reached in time (its own watch then notices).
        const giveUp = scheduler.after(SHUTDOWN_TELL_MS, where, () => this.toLobby.stop());
        await this.toLobby.send('closing', () => callRoom(match.classCode, 'matchRoomClosing', [match.matchKey], timing.remoteCallMs));
        giveUp.cancel();
      }
      this.close('The server is restarting.');
    };
    finish().catch((e: unknown) => this.ctx.log(`${where} failed: ${(e as Error)?.stack ?? e}`));
  }

  override onDispose(): void {
    this.lobbyWatch?.stop();
    this.toLobby?.stop();
    this.session?.dispose();
    this.ctx.codes.release(this.roomId);
  }

  override onUncaughtException(error: Error, method: string): void {
    logRoomException(this.ctx.log, `room ${this.roomId}`, error, method);
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
