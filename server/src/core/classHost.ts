/**
 * A class lobby as the server runs it, without Colyseus: the room id is the class code. The
 * teacher joins with the teacher secret and is the only one whose messages are obeyed; students
 * join by nickname (or rejoin with their player token). The class itself lives in
 * class/lobby.ts; rooms/ClassRoom.ts carries this over websockets, the headless server
 * (headless.ts) in process.
 *
 * The game rooms of the class's match may run on other server processes: the lobby reaches them
 * through RoomCalls, and they reach it the same way (LobbyCalls below). Commands to a game room
 * go through a courier (cluster/courier.ts): in order, each attempt with a deadline, tried again
 * until the room answers, so that a Redis outage delays them and loses none. While a match runs
 * with rooms on several processes, the lobby watches the processes hosting its game rooms: when
 * one dies, it records its round as interrupted and opens a new room for the next round on a live
 * process. A process is judged dead only after this one has reached Redis long enough for live
 * ones to beat again (RedisCluster.isDead).
 */
import { CLOSE_CODES, type ClassClientMessage, type ClassClientMessages, type ClassJoinOptions, type ClassServerMessages, type ProtocolError } from '@heist/shared';
import { ClassLobby } from '../class/lobby.ts';
import type { LobbyHooks } from '../class/lobbyHooks.ts';
import type { LobbyCalls, MatchCommand, ReportAnswer, RoundReport, TicketHolder } from '../class/matchLink.ts';
import { Courier } from '../cluster/courier.ts';
import { OPEN_ELSEWHERE } from '../cluster/lobbyKeeper.ts';
import type { ServerContext } from '../context.ts';
import { repeat, type Timer } from '../time/scheduler.ts';
import { JOIN_ERRORS } from '../validation/joinErrors.ts';
import { classMessageChecks, isPlainObject } from '../validation/messages.ts';
import { checkNickname } from '../validation/names.ts';
import { refuse, Refused, type Admission } from './admission.ts';
import { awaitReturn, type Reconnection, type RoomIO } from './connections.ts';
import type { RoomCalls } from './roomCalls.ts';

export type ClassAuth = { teacher: true } | { teacher: false; playerId: string; playerToken?: string };

/** Only the server opens class lobbies (on POST /api/classes and at start-up); openKey is the cluster's. */
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
  setSequence: (lobby, p) => lobby.setSequence(p.steps),
  startMatch: (lobby, p) => lobby.startMatch({ hiddenAttacker: p.hiddenAttacker ?? false }),
  pause: (lobby) => lobby.pause(),
  resume: (lobby) => lobby.resume(),
  nextRound: (lobby, p) => lobby.nextRound(p.round, p.stop),
  holdAdvance: (lobby, p) => lobby.holdAdvance(p.hold),
  endMatch: (lobby) => lobby.endMatch(),
  removePlayer: (lobby, p) => lobby.removePlayer(p.playerId),
  setClassSize: (lobby, p) => lobby.setClassSize(p.maxStudents),
  removeRecent: (lobby, p) => lobby.removeRecent(p.minutes),
};

export class ClassHost implements LobbyCalls {
  /** Set by `open` before the host is handed to anyone. */
  lobby!: ClassLobby;
  /** The connections in the lobby now, by id. */
  private readonly present = new Map<string, ClassAuth>();
  /** Commands to each game room, one after another (a command waits for the one before it). */
  private readonly toRooms = new Map<string, Courier>();
  private watch: Timer | undefined;

  private constructor(
    readonly code: string,
    private readonly ctx: ServerContext,
    private readonly calls: RoomCalls,
    private readonly io: RoomIO<ClassServerMessages>,
  ) {}

  /** Opens the lobby of a class in the store, unless it is open already (here, or on another live process). */
  static async open(ctx: ServerContext, calls: RoomCalls, io: RoomIO<ClassServerMessages>, options: Partial<ClassRoomOptions>): Promise<ClassHost> {
    const code = options.classCode;
    if (options.openKey !== ctx.cluster.openKey || typeof code !== 'string' || !(await ctx.store.classExists(code))) throw new Refused(JOIN_ERRORS.notFound.code, JOIN_ERRORS.notFound.message);
    if (!(await ctx.codes.hold(code))) throw new Refused(JOIN_ERRORS.notFound.code, `Class ${code} is ${OPEN_ELSEWHERE}.`);
    const host = new ClassHost(code, ctx, calls, io);
    try {
      host.lobby = await ClassLobby.open(code, ctx, host.hooks());
    } catch (e) {
      ctx.codes.release(code);
      throw e;
    }
    if (calls.severalProcesses) host.watch = repeat(ctx.scheduler, ctx.timing.heartbeatMs, `class ${code}: watching game rooms`, ctx.log, () => host.lookForLostRooms());
    return host;
  }

  private hooks(): LobbyHooks {
    const connectionsOf = (playerId: string) => [...this.present].filter(([, auth]) => !auth.teacher && auth.playerId === playerId).map(([id]) => id);
    return {
      sendToPlayer: (playerId, type, payload) => {
        for (const id of connectionsOf(playerId)) this.io.send(id, type, payload);
      },
      openGameRoom: (options) => this.calls.openGameRoom(options),
      tellRoom: (roomCode, matchKey, command) => this.tellRoom(roomCode, matchKey, command),
      kickFromLobby: (playerId) => {
        for (const id of connectionsOf(playerId)) this.io.close(id, CLOSE_CODES.closed);
      },
      sendToTeacher: (type, payload) => {
        for (const [id, auth] of this.present) if (auth.teacher) this.io.send(id, type, payload);
      },
      isConnected: (playerId) => connectionsOf(playerId).length > 0,
      matchRoomsOpen: () => this.calls.gameRoomsOfClass(this.code),
    };
  }

  // ── People ───────────────────────────────────────────────────────────────

  /**
   * Asked before a seat here is reserved (with the sender's address), and again when the
   * connection arrives (without): a wrong teacher key, a removed player, a bad or taken nickname
   * is refused before it can hold a seat.
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
    // At the door (an address): the class size and the joins from that address; at the connection, the size again.
    const full = this.lobby.joins.refusal(this.lobby.state.students.size, address ?? '');
    if (full && (address !== undefined || full.code === JOIN_ERRORS.classFull.code)) return refuse(full, full.message);
    if (address !== undefined) this.lobby.joins.admitted(checked.nickname, address);
    return { ok: true, auth: { newStudent: checked.nickname } };
  }

  /** The connection arrives: admitted again, and a new student written before being let in (their token must work tomorrow). */
  async authenticate(options: unknown): Promise<ClassAuth> {
    const admitted = await this.admission(options, undefined);
    if (!admitted.ok) throw new Refused(admitted.code, admitted.message);
    if (!('newStudent' in admitted.auth)) return admitted.auth;
    // No database, no new student.
    const { playerId, playerToken } = await this.lobby.addStudent(admitted.auth.newStudent).catch((e: unknown) => {
      this.ctx.log(`class ${this.code}: could not add a student: ${(e as Error)?.message ?? e}`);
      throw new Refused(JOIN_ERRORS.databaseAway.code, JOIN_ERRORS.databaseAway.message);
    });
    return { teacher: false, playerId, playerToken };
  }

  joined(id: string, auth: ClassAuth): void {
    this.present.set(id, auth);
    if (auth.teacher) {
      this.lobby.state.teacherPresent = true;
      this.lobby.teacherJoined();
      return;
    }
    if (auth.playerToken) this.io.send(id, 'welcome', { playerId: auth.playerId, playerToken: auth.playerToken });
    this.lobby.setConnected(auth.playerId, true);
  }

  /** A connection left: on purpose, or dropped (its place kept while it may come back); resolves with the connection that came back, if it did. */
  async left<C>(id: string, reconnection?: Reconnection<C>): Promise<C | undefined> {
    const auth = this.present.get(id);
    this.present.delete(id);
    if (!auth) {
      reconnection?.giveUp('not in the lobby');
      return undefined;
    }
    if (reconnection) {
      if (!auth.teacher) this.lobby.setConnected(auth.playerId, false);
      const back = await awaitReturn(this.ctx.scheduler, this.ctx.timing.reconnectSeconds, `class ${this.code}: a dropped place kept`, reconnection);
      if (back !== undefined) {
        this.present.set(id, auth);
        if (!auth.teacher) this.lobby.setConnected(auth.playerId, true);
        return back;
      }
    }
    const others = [...this.present.values()];
    if (auth.teacher) this.lobby.state.teacherPresent = others.some((a) => a.teacher);
    else if (!others.some((a) => !a.teacher && a.playerId === auth.playerId)) this.lobby.setConnected(auth.playerId, false);
    return undefined;
  }

  /** A message from a connection (past the gate): teacher commands only, after their payload check. */
  async command<K extends ClassClientMessage>(id: string, type: K, raw: unknown): Promise<ProtocolError | null> {
    if (!this.present.get(id)?.teacher) return { code: 'notAllowed', message: 'Only the teacher can do that.', type };
    const checked = classMessageChecks[type](raw);
    return checked.ok ? COMMANDS[type](this.lobby, checked.value) : checked.error;
  }

  // ── Calls from the match's game rooms ─────────────────────────────────────

  matchTicket(matchKey: string, ticket: unknown): TicketHolder {
    return this.lobby.ticketHolder(matchKey, ticket);
  }

  matchRoundOver(matchKey: string, report: RoundReport): ReportAnswer {
    return this.lobby.roundReported(matchKey, report);
  }

  matchKnown(matchKey: string): boolean {
    return this.lobby.knowsMatch(matchKey);
  }

  matchRoomClosing(matchKey: string): boolean {
    this.lobby.roomGoingAway(matchKey);
    return true;
  }

  // ── The match's game rooms ───────────────────────────────────────────────

  private tellRoom(roomCode: string, matchKey: string, command: MatchCommand): void {
    let courier = this.toRooms.get(roomCode);
    if (!courier) this.toRooms.set(roomCode, (courier = new Courier(`class ${this.code} to room ${roomCode}`, this.ctx.scheduler, this.ctx.log)));
    // A room no longer in play (closed, or gone with its process) gets one attempt, not a siege.
    const inPlay = () => this.lobby.roomsInPlay().some((r) => r.roomCode === roomCode);
    void courier
      .send(command.kind, () => this.calls.toGameRoom(roomCode, 'matchCommand', [matchKey, command]), inPlay)
      .then(() => courier.pending === 0 && !inPlay() && this.toRooms.delete(roomCode));
  }

  /** Is each process running a game room of the match still alive? The rooms of one that is not are lost (the watch asks every heartbeat). */
  async lookForLostRooms(): Promise<void> {
    const rooms = this.lobby.roomsInPlay();
    const dead = new Set<string>();
    for (const pid of new Set(rooms.map((r) => r.processId))) if (await this.calls.processGone(pid)) dead.add(pid);
    for (const r of rooms) if (dead.has(r.processId)) this.lobby.roomLost(r.roomCode, 'stopped');
  }

  // ── Shutting down ────────────────────────────────────────────────────────

  /** SIGTERM: rounds being played may finish (bounded), the match ends, every result is written, then the lobby closes. */
  async shutDown(): Promise<void> {
    try {
      await this.lobby.shutDown(this.ctx.timing.shutdownWaitMs);
    } catch (e) {
      this.ctx.log(`class ${this.code}: shutdown: ${(e as Error)?.message ?? e}`);
    }
    for (const id of [...this.present.keys()]) this.io.close(id, CLOSE_CODES.closed, 'The server is restarting: join the class again with its code in a moment.');
    await this.io.dispose().catch((e: unknown) => this.ctx.log(`class ${this.code}: closing failed: ${String(e)}`));
  }

  dispose(): void {
    this.watch?.cancel();
    this.lobby.dispose();
    this.ctx.codes.release(this.code);
  }
}
