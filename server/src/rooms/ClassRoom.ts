/**
 * A class lobby: the room id is the class code. The teacher joins with the teacher secret and
 * is the only one whose messages are obeyed; students join by nickname (or rejoin with their
 * player token). The class itself lives in class/lobby.ts.
 *
 * The game rooms of the class's match may run on other server processes: the lobby reaches
 * them by `matchMaker.remoteRoomCall`, and they reach it the same way (the methods under
 * "Calls from the match's game rooms" below). While a match runs, the room watches the
 * processes hosting its game rooms: when one dies, the lobby records its round as interrupted
 * and opens a new room for the next round on a live process.
 *
 * Commands to a game room go through a courier (cluster/courier.ts): in order, each attempt
 * with a deadline, tried again until the room answers, so that a Redis outage delays them
 * and loses none. A process is judged dead only after this one has reached Redis long enough
 * for live ones to beat again (RedisCluster.isDead).
 */
import { Room, ServerError, matchMaker, type Client } from '@colyseus/core';
import { CLASS_CLIENT_MESSAGES, CLOSE_CODES, ROOM, type ClassClientMessage, type ClassClientMessages, type ClassJoinOptions, type ClassServerMessages, type ProtocolError } from '@heist/shared';
import type { ServerContext } from '../context.ts';
import { ClassLobby } from '../class/lobby.ts';
import type { MatchCommand, MatchRoomOptions, ReportAnswer, RoundReport, TicketHolder } from '../class/matchLink.ts';
import { Courier } from '../cluster/courier.ts';
import { OPEN_ELSEWHERE } from '../cluster/lobbyKeeper.ts';
import { callRoom, createRoom, processGone, withDeadline } from '../cluster/remote.ts';
import { guardedLoop, type Loop } from '../safety.ts';
import type { ClassState } from '../schema/ClassState.ts';
import { classMessageChecks, isPlainObject } from '../validation/messages.ts';
import { checkNickname } from '../validation/names.ts';
import { answerUnknownMessages, listen, logRoomException, MessageGate, sendError } from './gate.ts';
import { refuse, type Admission } from './admission.ts';
import { JOIN_ERRORS } from '../validation/joinErrors.ts';

type ClassAuth = { teacher: true } | { teacher: false; playerId: string; playerToken?: string };

/** Only the server opens class rooms (on POST /api/classes and at start-up); openKey is the cluster's. */
export interface ClassRoomOptions {
  classCode: string;
  openKey: string;
}

type Outcome = ProtocolError | null | Promise<ProtocolError | null>;

/** Class codes whose lobby this process has open, or is opening. */
const lobbiesHere = new Set<string>();

/** The lobby command behind each teacher message. */
const COMMANDS: { [K in ClassClientMessage]: (lobby: ClassLobby, payload: ClassClientMessages[K]) => Outcome } = {
  formTeams: (lobby, p) => lobby.formTeams(p.teams),
  autoBalance: (lobby, p) => lobby.autoBalance(p.teamCount),
  setLevels: (lobby, p) => lobby.setLevels(p.levels),
  startMatch: (lobby) => lobby.startMatch(),
  pause: (lobby) => lobby.pause(),
  resume: (lobby) => lobby.resume(),
  nextRound: (lobby, p) => lobby.nextRound(p.round, p.stop),
  holdAdvance: (lobby, p) => lobby.holdAdvance(p.hold),
  endMatch: (lobby) => lobby.endMatch(),
  removePlayer: (lobby, p) => lobby.removePlayer(p.playerId),
  setClassSize: (lobby, p) => lobby.setClassSize(p.maxStudents),
  removeRecent: (lobby, p) => lobby.removeRecent(p.minutes),
};

export class ClassRoom extends Room<ClassState, unknown, unknown, ClassAuth> {
  declare ctx: ServerContext;
  private lobby!: ClassLobby;
  private gate!: MessageGate;
  /** Commands to each game room, one after another (a command waits for the one before it). */
  private readonly toRooms = new Map<string, Courier>();
  private watch: Loop | undefined;
  /** The class code this room holds in `lobbiesHere`. */
  private opened: string | undefined;

  override async onCreate(options: Partial<ClassRoomOptions>): Promise<void> {
    const code = options.classCode;
    if (options.openKey !== this.ctx.cluster.openKey || typeof code !== 'string' || !(await this.ctx.store.classExists(code)))
      throw new ServerError(JOIN_ERRORS.notFound.code, JOIN_ERRORS.notFound.message);
    // The code's claim in Redis tells processes apart, not two openings in this one (a teacher's new class and a sweep of the lobby keeper, say).
    if (lobbiesHere.has(code) || !(await this.ctx.codes.hold(code))) throw new ServerError(JOIN_ERRORS.notFound.code, `Class ${code} is ${OPEN_ELSEWHERE}.`);
    lobbiesHere.add(code);
    this.opened = code;
    this.roomId = code;
    this.autoDispose = false;
    void this.setPrivate(true); // reachable by its code only (joinById), never by join('class')
    this.maxClients = 200;
    this.gate = new MessageGate(this.ctx.limits.messagesPerSecond, () => this.ctx.scheduler.now());
    try {
      this.lobby = await ClassLobby.open(code, this.ctx, {
        sendToPlayer: (playerId, type, payload) => this.sendToPlayer(playerId, type, payload),
        openGameRoom: async (opts: MatchRoomOptions) => {
          const listing = await createRoom(ROOM.game, { ...opts }, this.ctx.timing.remoteCallMs);
          return { roomCode: listing.roomId, processId: listing.processId };
        },
        tellRoom: (roomCode, matchKey, command) => this.tellRoom(roomCode, matchKey, command),
        kickFromLobby: (playerId) => {
          for (const c of this.clients) if (c.auth && !c.auth.teacher && c.auth.playerId === playerId) c.leave(4000);
        },
        sendToTeacher: (type, payload) => {
          for (const c of this.clients) if (c.auth?.teacher) c.send(type, payload);
        },
        isConnected: (playerId) => this.clients.some((c) => c.auth !== undefined && !c.auth.teacher && c.auth.playerId === playerId),
        matchRoomsOpen: async () => {
          const listings = await withDeadline('listing game rooms', this.ctx.timing.remoteCallMs, matchMaker.query({ name: ROOM.game }));
          return listings.filter((l) => (l.metadata as { classCode?: string } | undefined)?.classCode === code).length;
        },
      });
    } catch (e) {
      lobbiesHere.delete(code);
      this.ctx.codes.release(code);
      throw e;
    }
    this.state = this.lobby.state;
    for (const type of CLASS_CLIENT_MESSAGES) listen(this, this.gate, type, this.ctx.log, `class ${this.roomId}`, (client, raw) => this.handle(client, type, raw));
    answerUnknownMessages(this, this.gate);
    if (this.ctx.cluster.kind !== 'local') this.watchGameRooms();
  }

  // ── Calls from the match's game rooms (matchMaker.remoteRoomCall) ─────────

  matchTicket(matchKey: string, ticket: unknown): TicketHolder {
    return this.lobby.ticketHolder(matchKey, ticket);
  }

  matchRoundOver(matchKey: string, report: RoundReport): ReportAnswer {
    return this.lobby.roundReported(matchKey, report);
  }

  /** Whether a game room still belongs to the match (it asks after a while without a round). */
  matchKnown(matchKey: string): boolean {
    return this.lobby.knowsMatch(matchKey);
  }

  /** A game room's process shuts down before the round could end there. */
  matchRoomClosing(matchKey: string): boolean {
    this.lobby.roomGoingAway(matchKey);
    return true;
  }

  private tellRoom(roomCode: string, matchKey: string, command: MatchCommand): void {
    let courier = this.toRooms.get(roomCode);
    if (!courier) this.toRooms.set(roomCode, (courier = new Courier(`class ${this.roomId} to room ${roomCode}`, this.ctx.scheduler, this.ctx.log)));
    // A room no longer in play (closed, or gone with its process) gets one attempt, not a siege.
    const inPlay = () => this.lobby.roomsInPlay().some((r) => r.roomCode === roomCode);
    void courier
      .send(command.kind, () => callRoom(roomCode, 'matchCommand', [matchKey, command], this.ctx.timing.remoteCallMs), inPlay)
      .then(() => courier.pending === 0 && !inPlay() && this.toRooms.delete(roomCode));
  }

  private stopWatching(): void {
    this.watch?.stop();
    this.watch = undefined;
  }

  /** Every heartbeat: is each process running a game room of the match still alive? */
  private watchGameRooms(): void {
    this.watch = guardedLoop(`class ${this.roomId}: watching game rooms`, this.ctx.timing.heartbeatMs, this.ctx.log, async () => {
      const rooms = this.lobby.roomsInPlay();
      const dead = new Set<string>();
      // (Colyseus then forgets the dead process's rooms.)
      for (const pid of new Set(rooms.map((r) => r.processId))) if (await processGone(this.ctx.cluster, pid, this.ctx.timing.remoteCallMs)) dead.add(pid);
      for (const r of rooms) if (dead.has(r.processId)) this.lobby.roomLost(r.roomCode, 'stopped');
    });
  }

  /**
   * Asked by the matchmaker's door before a seat here is reserved (rooms/admission.ts), and
   * again by onAuth when the websocket arrives: a wrong teacher key, a removed player, a bad or
   * taken nickname is refused before it can hold a seat.
   */
  async admission(options: unknown, address: string | undefined): Promise<Admission<ClassAuth | { newStudent: string }>> {
    const opts = (isPlainObject(options) ? options : {}) as Partial<ClassJoinOptions>;
    if (opts.teacherSecret !== undefined) {
      if (!this.lobby.teacherSecretMatches(opts.teacherSecret)) return refuse(JOIN_ERRORS.teacherSecret);
      return { ok: true, auth: { teacher: true } };
    }
    if (opts.playerToken !== undefined) {
      const player = this.lobby.playerByToken(opts.playerToken);
      if (!player) return refuse(JOIN_ERRORS.notFound, 'That player token is not known in this class.');
      if (player.removed) return refuse(JOIN_ERRORS.removed);
      return { ok: true, auth: { teacher: false, playerId: player.id, playerToken: opts.playerToken } };
    }
    const checked = checkNickname(opts.nickname);
    if (!checked.ok) return refuse(JOIN_ERRORS.badNickname, checked.reason);
    if (this.lobby.nicknameTaken(checked.nickname)) return refuse(JOIN_ERRORS.nicknameTaken);
    // At the door (an address): the class size and the joins from that address; at the websocket, the size again.
    const full = this.lobby.joins.refusal(this.lobby.state.students.size, address ?? '');
    if (full && (address !== undefined || full.code === JOIN_ERRORS.classFull.code)) return refuse(full, full.message);
    if (address !== undefined) this.lobby.joins.admitted(checked.nickname, address);
    return { ok: true, auth: { newStudent: checked.nickname } };
  }

  override async onAuth(_client: Client, options: unknown): Promise<ClassAuth> {
    const admitted = await this.admission(options, undefined);
    if (!admitted.ok) throw new ServerError(admitted.code, admitted.message);
    if (!('newStudent' in admitted.auth)) return admitted.auth;
    // A new student is written before being let in (their token must work tomorrow): no database, no new student.
    const { playerId, playerToken } = await this.lobby.addStudent(admitted.auth.newStudent).catch((e: unknown) => {
      this.ctx.log(`class ${this.roomId}: could not add a student: ${(e as Error)?.message ?? e}`);
      throw new ServerError(JOIN_ERRORS.databaseAway.code, JOIN_ERRORS.databaseAway.message);
    });
    return { teacher: false, playerId, playerToken };
  }

  override onJoin(client: Client, _options: unknown, auth: ClassAuth): void {
    this.gate.watch(client);
    this.ctx.cluster.ledger.seatTaken(client.sessionId);
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
        this.gate.watch(await this.allowReconnection(client, this.ctx.timing.reconnectSeconds));
        if (!auth.teacher) this.lobby.setConnected(auth.playerId, true);
        return;
      } catch {
        // gone: fall through
      }
    }
    if (auth.teacher) this.state.teacherPresent = this.clients.some((c) => c.auth?.teacher === true);
    else if (!this.clients.some((c) => !c.auth?.teacher && c.auth?.playerId === auth.playerId)) this.lobby.setConnected(auth.playerId, false);
  }

  /** SIGTERM: rounds being played may finish (bounded), the match ends, every result is written, then the lobby closes. */
  override onBeforeShutdown(): void {
    void this.lobby
      .shutDown(this.ctx.timing.shutdownWaitMs)
      .catch((e: unknown) => this.ctx.log(`class ${this.roomId}: shutdown: ${(e as Error)?.message ?? e}`))
      .finally(() => {
        for (const c of this.clients) c.leave(CLOSE_CODES.closed, 'The server is restarting: join the class again with its code in a moment.');
        void this.disconnect();
      });
  }

  override onDispose(): void {
    if (this.opened) lobbiesHere.delete(this.opened);
    this.stopWatching();
    this.lobby?.dispose();
    this.ctx.codes.release(this.roomId);
  }

  override onUncaughtException(error: Error, method: string): void {
    logRoomException(this.ctx.log, `class ${this.roomId}`, error, method);
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
