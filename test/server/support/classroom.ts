/**
 * A whole class on the headless server (server/src/core/headless.ts: the hosts the Colyseus
 * rooms run, on a drivable clock, without sockets). What lives here is how students play:
 * scripted people who join the class page, follow their assignments like the browser does
 * (stay in a room they are already in, join another one with its ticket), think for a human
 * while before each move, and play the move the shared bot logic picks from their own view,
 * with the behaviour their team was told to use. The teacher is connected too, and hears where
 * to watch each room. A lesson of several rounds runs in well under a second.
 */
import { botAction, seededRng, type BotBehaviours, type ClassClientMessage, type ClassClientMessages, type ClassServerMessages, type GameServerMessages, type ProtocolError, type RoleView, type SpectatorView } from '@heist/shared';
import { ViewStream } from '../../../client/src/net/viewStream.ts';
import type { ClassLobby } from '../../../server/src/class/lobby.ts';
import type { Timing } from '../../../server/src/config.ts';
import type { GameHost } from '../../../server/src/core/gameHost.ts';
import { HeadlessServer } from '../../../server/src/core/headless.ts';
import type { Connection } from '../../../server/src/core/headlessConnection.ts';
import type { Store } from '../../../server/src/persistence/store.ts';

function fail(what: string): never {
  throw new Error(`${what} that does not apply`);
}

type Assignment = ClassServerMessages['assignment'];

export class Student {
  playerId = '';
  private playerToken = '';
  /** The game room she is in (as her browser last joined it). */
  room: GameHost | undefined;
  sessionId = '';
  views: RoleView[] = [];
  spectates: SpectatorView[] = [];
  errors: ProtocolError[] = [];
  assignments: Assignment[] = [];
  /** Every kind of message the class lobby sent her, in order. */
  lobbyMessages: (keyof ClassServerMessages)[] = [];
  /** Closed by the server (e.g. the room closed), with the reason. */
  closedWith: string | undefined;
  /** How this student plays: the shared bot logic with these behaviours. */
  behaviours: BotBehaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' };
  /** Scripted students act; a student who is "away" (reading, distracted) does not. */
  active = true;
  private thinking = false;
  private lobbyConnection: Connection | undefined;
  private roomConnection: Connection | undefined;
  /** The room her browser is on its way into. */
  private entering: string | undefined;
  private readonly viewStream = new ViewStream<RoleView>();
  private readonly spectateStream = new ViewStream<SpectatorView>();

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

  /** She opens the class page: by nickname the first time, by her player token after. */
  async openClass(): Promise<void> {
    const options = this.playerToken ? { playerToken: this.playerToken } : { nickname: this.nickname };
    this.lobbyConnection = await this.classroom.server.joinClass(this.classroom.code, options, {
      receive: (type, payload) => {
        this.lobbyMessages.push(type as keyof ClassServerMessages);
        if (type === 'welcome') ({ playerId: this.playerId, playerToken: this.playerToken } = payload as ClassServerMessages['welcome']);
        if (type === 'assignment') this.onAssignment(payload as Assignment);
      },
      closed: () => undefined,
    });
  }

  /** The browser's follow-the-assignment rule. */
  onAssignment(a: Assignment): void {
    this.assignments.push(a);
    if (this.entering === a.roomCode || (this.room?.code === a.roomCode && this.room.session.isMember(this.sessionId))) return;
    this.enter(a.roomCode).catch((e: unknown) => this.classroom.server.logs.push(`${this.nickname} could not join ${a.roomCode}: ${String(e)}`));
  }

  /** Opens the room with her ticket to it (a fresh connection); a previous room is left after. */
  async enter(code: string): Promise<void> {
    const ticket = this.assignments.filter((a) => a.roomCode === code).at(-1)?.ticket;
    const previous = this.roomConnection;
    this.entering = code;
    const peer = {
      receive: (type: keyof GameServerMessages, payload: unknown) => {
        if (this.roomConnection === connection || this.entering === code) this.received(type, payload as never);
      },
      closed: (_code: number, reason: string) => {
        if (this.roomConnection !== connection) return;
        this.closedWith = reason;
        this.room = undefined;
      },
    };
    let connection: Connection | undefined;
    this.views = [];
    this.spectates = [];
    try {
      connection = await this.classroom.server.joinGame(code, { ticket }, peer);
    } finally {
      this.entering = undefined;
    }
    this.roomConnection = connection;
    this.room = this.classroom.server.gameRooms.get(code);
    this.sessionId = connection.id;
    if (previous && previous.host !== connection.host) previous.leave();
  }

  /**
   * The tab is closed: both connections drop. The room keeps her seat for the reconnect
   * allowance, then lets it go; the lobby sees her leave.
   */
  closeTab(): void {
    this.active = false;
    this.lobbyConnection?.drop();
    this.roomConnection?.drop();
    this.room = undefined;
  }

  /** She opens the game again (her player token rejoins the class) and follows her assignments. */
  async comeBack(): Promise<void> {
    this.active = true;
    await this.openClass();
  }

  /** A page reload: the lobby and room connections drop and come back (same sessions). */
  reload(): void {
    for (const connection of [this.roomConnection, this.lobbyConnection]) {
      connection?.drop();
      connection?.reconnect();
    }
  }

  /** What the room sends this student's connection, taken as the browser takes it. */
  private received<K extends keyof GameServerMessages>(type: K, payload: GameServerMessages[K]): void {
    const p = payload as never;
    if (type === 'view') this.views.push(this.viewStream.whole(p));
    else if (type === 'viewPatch') this.views.push(this.viewStream.patch((p as GameServerMessages['viewPatch']).ops) ?? fail('view patch'));
    else if (type === 'spectate') this.spectates.push(this.spectateStream.whole(p));
    else if (type === 'spectatePatch') this.spectates.push(this.spectateStream.patch((p as GameServerMessages['spectatePatch']).ops) ?? fail('spectator patch'));
    else this.errors.push(p);
    if (type === 'view' || type === 'viewPatch') this.think();
  }

  /** A person reads the screen for a while, then makes one move (and reads again). */
  private think(): void {
    if (this.thinking || !this.active) return;
    this.thinking = true;
    this.classroom.scheduler.after(this.classroom.thinkMs, `${this.nickname} thinks`, () => {
      this.thinking = false;
      const view = this.view;
      if (!this.active || !view || view.phase === 'over' || !this.room) return; // people prepare too
      const action = botAction(view, this.behaviours, this.classroom.rng);
      if (!action) return;
      const error = this.room.message(this.sessionId, 'action', action);
      if (error) this.errors.push(error);
    });
  }
}

export class Classroom {
  readonly students: Student[] = [];
  /** What the teacher's dashboard was told: where to watch each room. */
  readonly teacherMessages: ClassServerMessages['watch'][] = [];
  /** A hidden-attacker match: which rooms had an attacker, round by round, as the teacher's dashboard was told. */
  readonly hiddenAttackers: ClassServerMessages['hiddenAttackers'][] = [];
  /** What the teacher's dashboard was told each student's play showed, message by message. */
  readonly misconceptions: ClassServerMessages['misconceptions'][] = [];
  readonly rng = seededRng('classroom students');
  thinkMs = 1_500;

  /** The teacher's dashboard's connection to the class. */
  private dashboard: Connection | undefined;

  private constructor(
    readonly server: HeadlessServer,
    readonly code: string,
  ) {}

  /** A class on a fresh headless server (SQLite in memory; `store` may put something in front of it), its teacher at the dashboard. */
  static async open(timing: Partial<Timing> = {}, options: { store?: (sqlite: Store) => Store } = {}): Promise<Classroom> {
    const server = new HeadlessServer({ timing, store: options.store, seed: 'classroom' });
    const { code, teacherSecret } = await server.createClass();
    const c = new Classroom(server, code);
    c.dashboard = await server.joinClass(code, { teacherSecret }, {
      receive: (type, payload) => {
        if (type === 'watch') c.teacherMessages.push(payload as ClassServerMessages['watch']);
        if (type === 'hiddenAttackers') c.hiddenAttackers.push(payload as ClassServerMessages['hiddenAttackers']);
        if (type === 'misconceptions') c.misconceptions.push(payload as ClassServerMessages['misconceptions']);
      },
      closed: () => undefined,
    });
    return c;
  }

  get ctx(): HeadlessServer['ctx'] {
    return this.server.ctx;
  }

  get scheduler(): HeadlessServer['scheduler'] {
    return this.server.scheduler;
  }

  get lobby(): ClassLobby {
    const host = this.server.lobbies.get(this.code);
    if (!host) throw new Error(`class ${this.code} is not open`);
    return host.lobby;
  }

  /** The game rooms open now, by code. */
  get rooms(): ReadonlyMap<string, GameHost> {
    return this.server.gameRooms;
  }

  async join(nickname: string): Promise<Student> {
    const s = new Student(nickname, this);
    await s.openClass();
    this.students.push(s);
    return s;
  }

  /** The teacher's dashboard sends a message: the class's host checks who sent it and its payload, then its lobby runs it. */
  async teacher<K extends ClassClientMessage>(type: K, payload: ClassClientMessages[K]): Promise<ProtocolError | null> {
    const host = this.server.lobbies.get(this.code);
    if (!host || !this.dashboard) throw new Error(`class ${this.code} is not open`);
    const result = await host.command(this.dashboard.id, type, payload);
    await this.settle();
    return result;
  }

  runUntil(what: string, done: () => boolean, limitMs?: number): Promise<void> {
    return this.server.runUntil(what, done, limitMs);
  }

  settle(): Promise<void> {
    return this.server.settle();
  }

  holdReports(): void {
    this.server.holdReports();
  }

  deliverReports(times?: number): unknown[] {
    return this.server.deliverReports(times);
  }

  crash(code: string): Promise<void> {
    return this.server.crash(code);
  }
}
