/**
 * A whole class without sockets: one ClassLobby and the GameSessions of its match, wired as the
 * rooms wire them, on a ManualScheduler. Students are scripted people: they follow their
 * assignments like the browser does (stay in a room they are already in, join another one),
 * think for a human while before each move, and play the move the shared bot logic picks from
 * their own view, with the behaviour their team was told to use. A lesson of several rounds runs
 * in well under a second.
 *
 * The lobby and its rooms exchange the messages they exchange through the server
 * (class/matchLink.ts), carried here by hand, in order; `crash` makes a room vanish as when
 * the process running it dies; `holdReports` keeps the rooms' reports from the lobby (Redis
 * away) until `deliverReports`. As GameRoom does, a room records its round itself too. The
 * store is SQLite in memory (a test may put something in front of it); its writes (async) are
 * let through between steps of the clock.
 */
import { botAction, seededRng, type BotBehaviours, type ClassServerMessages, type GameServerMessages, type ProtocolError, type RoleView, type SpectatorView } from '@heist/shared';
import { ViewStream } from '../../../client/src/net/viewStream.ts';
import { ClassLobby } from '../../../server/src/class/lobby.ts';
import { planFrom, roundReport, type ClassRoundContext, type MatchCommand, type MatchRoomOptions, type ReportAnswer } from '../../../server/src/class/matchLink.ts';
import { LocalCluster } from '../../../server/src/cluster/cluster.ts';
import { DEFAULT_LIMITS, DEFAULT_TIMING, type Timing } from '../../../server/src/config.ts';
import { CodeBook, rngSource, type ServerContext } from '../../../server/src/context.ts';
import { GameSession } from '../../../server/src/game/session.ts';
import { openDb } from '../../../server/src/persistence/sqlite/db.ts';
import { classRoundRecord } from '../../../server/src/persistence/rounds.ts';
import { SqliteStore } from '../../../server/src/persistence/sqlite/store.ts';
import type { Store } from '../../../server/src/persistence/store.ts';
import { GameState } from '../../../server/src/schema/GameState.ts';
import { ManualScheduler } from '../../../server/src/time/manualScheduler.ts';

function fail(what: string): never {
  throw new Error(`${what} that does not apply`);
}

export interface Room {
  code: string;
  matchKey: string;
  session: GameSession;
  /** The class round being played, as the lobby described it (its report carries it back). */
  round?: ClassRoundContext;
}

export class Student {
  playerId = '';
  lobbyConnected = true;
  room: Room | undefined;
  sessionId = '';
  views: RoleView[] = [];
  spectates: SpectatorView[] = [];
  errors: ProtocolError[] = [];
  assignments: ClassServerMessages['assignment'][] = [];
  /** Closed by the server (e.g. replaced by another tab, or the room closed), with the reason. */
  closedWith: string | undefined;
  /** How this student plays: the shared bot logic with these behaviours. */
  behaviours: BotBehaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' };
  /** Scripted students act; a student who is "away" (reading, distracted) does not. */
  active = true;
  private thinking = false;

  constructor(
    readonly nickname: string,
    private readonly classroom: Classroom,
  ) {}

  get view(): RoleView | undefined {
    return this.views.at(-1);
  }

  get seat(): string {
    return (this.room && this.room.session.state.members.get(this.sessionId)?.role) ?? '';
  }

  /** The browser's follow-the-assignment rule. */
  onAssignment(a: ClassServerMessages['assignment']): void {
    this.assignments.push(a);
    if (this.room?.code === a.roomCode && this.room.session.isMember(this.sessionId)) return;
    this.enter(a.roomCode);
  }

  /** Opens the room (a fresh connection); a previous room is left after. */
  enter(code: string): void {
    const previous = this.room;
    const previousSession = this.sessionId;
    const room = this.classroom.rooms.get(code);
    if (!room) throw new Error(`no room ${code}`);
    this.room = room;
    this.sessionId = this.classroom.newSessionId(this);
    this.views = [];
    this.spectates = [];
    room.session.addMember(this.sessionId, { nickname: this.nickname, key: this.playerId, team: '' });
    if (previous && previous !== room) previous.session.removeMember(previousSession);
  }

  /**
   * The tab is closed: both connections drop. The room keeps her seat for the reconnect
   * allowance, then lets it go (as GameRoom.onLeave does); the lobby sees her leave.
   */
  closeTab(): void {
    this.active = false;
    this.lobbyConnected = false;
    this.classroom.lobby.setConnected(this.playerId, false);
    const { room, sessionId } = this;
    this.room = undefined;
    if (!room) return;
    room.session.memberDropped(sessionId);
    this.classroom.scheduler.after(this.classroom.ctx.timing.reconnectSeconds * 1000, `${this.nickname}'s seat is let go`, () => room.session.removeMember(sessionId));
  }

  /** She opens the game again (her player token rejoins the class) and follows her assignments. */
  comeBack(): void {
    this.active = true;
    this.lobbyConnected = true;
    this.classroom.lobby.setConnected(this.playerId, true);
  }

  /** A page reload: the lobby and room connections drop and come back (same sessions). */
  reload(): void {
    const room = this.room;
    if (room) room.session.memberDropped(this.sessionId);
    this.classroom.lobby.setConnected(this.playerId, false);
    this.classroom.lobby.setConnected(this.playerId, true);
    if (room) room.session.memberBack(this.sessionId);
  }

  private readonly viewStream = new ViewStream<RoleView>();
  private readonly spectateStream = new ViewStream<SpectatorView>();

  /** What the room sends this student's connection, taken as the browser takes it. */
  received<K extends keyof GameServerMessages>(type: K, payload: GameServerMessages[K]): void {
    const p = payload as never;
    if (type === 'view') this.views.push(this.viewStream.whole(p));
    else if (type === 'viewPatch') this.views.push(this.viewStream.patch((p as GameServerMessages['viewPatch']).ops) ?? fail('view patch'));
    else if (type === 'spectate') this.spectates.push(this.spectateStream.whole(p));
    else if (type === 'spectatePatch') this.spectates.push(this.spectateStream.patch((p as GameServerMessages['spectatePatch']).ops) ?? fail('spectator patch'));
    else this.errors.push(p);
    if (type === 'view' || type === 'viewPatch') this.think();
  }

  /** A person reads the screen for a while, then makes one move (and reads again). */
  think(): void {
    if (this.thinking || !this.active) return;
    this.thinking = true;
    this.classroom.scheduler.after(this.classroom.thinkMs, `${this.nickname} thinks`, () => {
      this.thinking = false;
      const view = this.view;
      if (!this.active || !view || view.phase === 'over' || !this.room) return; // people prepare too
      const action = botAction(view, this.behaviours, this.classroom.rng);
      if (!action) return;
      const error = this.room.session.act(this.sessionId, action);
      if (error) this.errors.push(error);
    });
  }
}

export class Classroom {
  readonly scheduler = new ManualScheduler();
  readonly logs: string[] = [];
  readonly ctx: ServerContext;
  lobby!: ClassLobby;
  readonly rooms = new Map<string, Room>();
  readonly students: Student[] = [];
  readonly teacherMessages: ClassServerMessages['watch'][] = [];
  readonly rng = seededRng('classroom students');
  thinkMs = 1_500;
  /** Reports from rooms wait here instead of reaching the lobby (see holdReports). */
  private held: (() => ReportAnswer)[] | undefined;
  private sessions = 0;
  private readonly bySession = new Map<string, Student>();
  private readonly byPlayer = new Map<string, Student>();

  private constructor(timing: Partial<Timing>, wrap: (store: Store) => Store) {
    const store = wrap(new SqliteStore(openDb(':memory:')));
    const cluster = new LocalCluster('classroom', DEFAULT_LIMITS);
    this.ctx = {
      store,
      timing: { ...DEFAULT_TIMING, ...timing },
      limits: DEFAULT_LIMITS,
      cluster,
      codes: new CodeBook((code) => store.classExists(code), cluster),
      scheduler: this.scheduler,
      rng: rngSource('classroom'),
      log: (line) => this.logs.push(line),
    };
  }

  static async open(timing: Partial<Timing> = {}, options: { store?: (sqlite: Store) => Store } = {}): Promise<Classroom> {
    const c = new Classroom(timing, options.store ?? ((s) => s));
    const code = await c.ctx.codes.claim(c.ctx.rng('class-code'));
    await c.ctx.store.createClass(code, 'not-used', c.scheduler.now());
    c.lobby = await ClassLobby.open(code, c.ctx, {
      sendToPlayer: (playerId, type, payload) => {
        const s = c.byPlayer.get(playerId);
        if (s?.lobbyConnected && type === 'assignment') s.onAssignment(payload as ClassServerMessages['assignment']);
      },
      openGameRoom: async (options) => c.openRoom(options),
      tellRoom: (roomCode, matchKey, command) => c.tellRoom(roomCode, matchKey, command),
      kickFromLobby: (playerId) => {
        const s = c.byPlayer.get(playerId);
        if (s) s.lobbyConnected = false;
      },
      sendToTeacher: (type, payload) => {
        if (type === 'watch') c.teacherMessages.push(payload as ClassServerMessages['watch']);
      },
      isConnected: (playerId) => c.byPlayer.get(playerId)?.lobbyConnected ?? false,
      matchRoomsOpen: async () => c.rooms.size,
    });
    return c;
  }

  async join(nickname: string): Promise<Student> {
    const s = new Student(nickname, this);
    s.playerId = (await this.lobby.addStudent(nickname)).playerId;
    this.byPlayer.set(s.playerId, s);
    this.students.push(s);
    this.lobby.setConnected(s.playerId, true);
    return s;
  }

  newSessionId(student: Student): string {
    const id = `session-${++this.sessions}`;
    this.bySession.set(id, student);
    return id;
  }

  /** The teacher's command, exactly as the class room runs it after its payload check. */
  async teacher<T>(command: (lobby: ClassLobby) => T): Promise<Awaited<T>> {
    const result = await command(this.lobby);
    await this.settle();
    return result;
  }

  /** Moves time on until `done`, or fails after `limitMs` of class time; the store's writes go through on the way. */
  async runUntil(what: string, done: () => boolean, limitMs = 600_000): Promise<void> {
    const deadline = this.scheduler.now() + limitMs;
    await this.settle();
    while (!done()) {
      if (this.scheduler.now() >= deadline) throw new Error(`class time ran out waiting for ${what}`);
      this.scheduler.advance(100);
      await this.settle();
    }
  }

  /** Lets every pending write (and what waits on it) finish, unless the store holds it back. */
  async settle(): Promise<void> {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    await Promise.race([this.lobby.settled(), turn().then(turn)]);
    await turn();
  }

  /** Reports from rooms no longer reach the lobby (say Redis is away); they wait. */
  holdReports(): void {
    this.held ??= [];
  }

  /** The reports held back reach the lobby, each `times` times (a retry whose answer was lost delivers it twice); later ones go straight through. */
  deliverReports(times = 1): ReportAnswer[] {
    const held = this.held ?? [];
    this.held = undefined;
    return held.flatMap((deliver) => Array.from({ length: times }, deliver));
  }

  /** The process running the room dies: its students' connections drop, and the lobby notices it is gone. */
  crash(code: string): void {
    const room = this.rooms.get(code);
    if (!room) throw new Error(`no room ${code}`);
    for (const s of this.students) if (s.room === room) {
      s.closedWith = 'connection lost';
      s.room = undefined;
    }
    room.session.dispose();
    this.rooms.delete(code);
    this.lobby.roomLost(code, 'stopped');
  }

  /** What the server's GameRoom does with a command (GameRoom.matchCommand). */
  private tellRoom(roomCode: string, matchKey: string, command: MatchCommand): void {
    const room = this.rooms.get(roomCode);
    if (!room || room.matchKey !== matchKey) return;
    const { session } = room;
    switch (command.kind) {
      case 'startRound':
        room.round = command.record;
        return session.planRound(planFrom(command.plan), command.notice);
      case 'setSpeed':
        return session.setSpeed(command.speed);
      case 'kick': {
        const s = this.byPlayer.get(command.playerId);
        if (s?.room === room) {
          session.removeMember(s.sessionId);
          s.room = undefined;
        }
        return;
      }
      case 'close':
        for (const s of this.students)
          if (s.room === room) {
            s.closedWith = command.reason;
            session.removeMember(s.sessionId);
            s.room = undefined;
          }
        session.dispose();
        this.rooms.delete(roomCode);
    }
  }

  private async openRoom(options: MatchRoomOptions): Promise<{ roomCode: string; processId: string }> {
    if (options.openKey !== this.ctx.cluster.openKey) throw new Error('not opened by the server');
    const code = await this.ctx.codes.claim(this.ctx.rng('game'));
    const state = new GameState().assign({ code, classCode: options.classCode });
    const session = new GameSession(
      state,
      this.ctx.rng('game'),
      this.ctx.timing,
      this.scheduler,
      {
        send: (sessionId, type, payload) => this.bySession.get(sessionId)?.received(type, payload),
        disconnect: (sessionId, reason) => {
          const s = this.bySession.get(sessionId);
          if (s && s.sessionId === sessionId) s.closedWith = reason;
        },
        roundOver: (info) => {
          const report = roundReport(info, this.rooms.get(code)!.round!);
          void this.ctx.store.recordRound(classRoundRecord(options.classCode, code, report, () => true)).catch((e: unknown) => this.logs.push(`room ${code}: ${String(e)}`));
          const deliver = () => this.lobby.roundReported(options.matchKey, report);
          if (this.held) this.held.push(deliver);
          else deliver();
        },
        log: (line) => this.logs.push(line),
      },
      { managed: true },
    );
    this.rooms.set(code, { code, matchKey: options.matchKey, session });
    return { roomCode: code, processId: this.ctx.cluster.processId };
  }
}
