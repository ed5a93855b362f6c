/**
 * The one owner of the colyseus.js connection (as `client/services/Server.ts` in
 * ourcade/tic-tac-toe-multiplayer-starter). It joins and creates rooms, keeps each room's
 * reconnection token and reconnects by itself after a dropped connection, turns everything
 * the server says into domain events on the bus, and offers typed methods for everything a
 * player can do. Scenes and panels never see a Room. Beside it: what each room says
 * (gameMessages.ts, classMessages.ts), the HTTP API (httpApi.ts), what the browser keeps
 * (browserStorage.ts), coming back after a drop (reconnection.ts), following the class's seat
 * assignments (assignments.ts), and the teacher's desk (teacherDesk.ts: the key, the files,
 * watching rooms, where students join).
 */
import { Client, type Room } from 'colyseus.js';
import type { Bus, LobbyInfo } from '../bus.ts';
import {
  CLOSE_CODES,
  ROOM,
  type AnyAction,
  type BotBehaviours,
  type ClassClientMessages,
  type ClassJoinOptions,
  type CreateClassResponse,
  type DownloadOffer,
  type GameCreateOptions,
  type GameJoinOptions,
  type GameClientMessages,
  type Level,
  type LevelEvent,
  type ProtocolError,
  type Role,
} from '../shared.ts';
import type { GameState } from '../../../server/src/schema/GameState.ts';
import { AssignmentFollower } from './assignments.ts';
import {
  deviceKey,
  forgetPlayerToken,
  readNickname,
  readPlayerToken,
  readTokens,
  writeTokens,
} from './browserStorage.ts';
import { relayClassMessages } from './classMessages.ts';
import { relayGameMessages } from './gameMessages.ts';
import { ClassPlace } from './classPlace.ts';
import { HostSettings, settingsShown, type SettingsChange } from './hostSettings.ts';
import { HttpApi } from './httpApi.ts';
import { Reconnection, type RoomKind } from './reconnection.ts';
import { readLobbyState } from './stateReaders.ts';
import { TeacherDesk } from './teacherDesk.ts';

/** Close codes for which we try to come back: anything but a leave the server or we meant. */
const CONSENTED_CLOSE = new Set<number>([1000, CLOSE_CODES.closed, CLOSE_CODES.replaced]);

export interface PracticeOptions {
  nickname: string;
  role: Role;
  level: Level;
  bots: Partial<BotBehaviours>;
}

export class GameConnection {
  private readonly client: Client;
  private game?: Room;
  private klass?: Room;
  private practice = false;
  /** Who this tab is in its class. */
  private readonly place = new ClassPlace();
  private readonly settings = new HostSettings();
  private stopped = false;
  private readonly http: HttpApi;
  /** Class play: this round's seat, and whether another tab of this person plays it. */
  private readonly seats: AssignmentFollower;
  private readonly reconnection: Reconnection;
  /** A reloaded page is coming back to its rooms (assignments wait meanwhile). */
  private resuming: Promise<boolean> | undefined;
  /** What only the teacher's tab does: the key, the files, watching the match's rooms. */
  readonly teacherDesk: TeacherDesk;

  constructor(
    private readonly bus: Bus,
    /** The page's own origin: the game server serves the client and the websocket together. */
    private readonly endpoint: string = location.origin,
  ) {
    this.client = new Client(this.endpoint);
    this.http = new HttpApi(this.endpoint);
    this.reconnection = new Reconnection({
      client: this.client,
      room: (kind) => (kind === 'game' ? this.game : this.klass),
      stopped: () => this.stopped,
      status: (state, detail) => this.status(state, detail),
      enterClass: (open, isTeacher) => this.enterClass(open, isTeacher, true),
      enterGame: (open, practice) => this.enterGame(open, practice, true),
      attach: (kind, room) => (kind === 'game' ? this.attachGame(room) : this.attachClass(room)),
      lose: (kind) => this.gone(kind, 'connection lost'),
      classIdentity: () => this.place.record(''),
      restoreClassIdentity: (stored) => this.place.restore(stored),
      rejoinSeat: (roomId) => this.seats.rejoin(roomId),
    });
    this.seats = new AssignmentFollower({
      inRoom: (roomCode) => this.game?.roomId === roomCode,
      join: (roomCode, ticket, quiet) => this.enterGame(() => this.client.joinById(roomCode, { nickname: readNickname(), ticket } satisfies GameJoinOptions), false, quiet),
      nothingToPlay: () => this.bus.emit('net:error', { code: 'notFound', message: 'There is no round to play right now: wait for the teacher to start the next one.' }),
    });
    this.teacherDesk = new TeacherDesk(this.bus, this.place, this.http, this.endpoint, {
      gameRoom: () => this.game?.roomId,
      watch: (roomCode, ticket) => this.enterGame(() => this.client.joinById(roomCode, { nickname: 'Teacher', ticket } satisfies GameJoinOptions), false, true),
    });
  }

  // ---- joining -------------------------------------------------------------------------

  /**
   * Practise alone: a room of one, this player in the chosen seat, bots in the others. The
   * lobby then shows the level's briefing and the player starts the round when ready.
   */
  async startPractice(options: PracticeOptions): Promise<void> {
    const create: GameCreateOptions = { nickname: options.nickname, deviceKey: deviceKey() };
    await this.enterGame(() => this.client.create(ROOM.game, create), true);
    this.chooseSeat(options.role);
    this.configure(options.level, options.bots);
  }

  /** A room where four bots play by themselves (to watch, or for the projector). */
  async watchDemo(nickname: string): Promise<void> {
    const create: GameCreateOptions = { nickname, demo: true, deviceKey: deviceKey() };
    await this.enterGame(() => this.client.create(ROOM.game, create), false);
  }

  /** Open a new room and become its host. */
  async createGame(nickname: string): Promise<void> {
    const create: GameCreateOptions = { nickname, deviceKey: deviceKey() };
    await this.enterGame(() => this.client.create(ROOM.game, create), false);
  }

  /** Join a friend's room by its short code (the code is the room's id). */
  async joinGame(code: string, nickname: string): Promise<void> {
    const join: GameJoinOptions = { nickname, deviceKey: deviceKey() };
    await this.enterGame(() => this.client.joinById(normaliseCode(code), join), false);
  }

  /** A student joins a class by its code; a token kept on this device rejoins as the same player. */
  async joinClass(code: string, nickname: string): Promise<void> {
    const classCode = normaliseCode(code);
    const playerToken = readPlayerToken(classCode);
    this.place.code = classCode;
    if (playerToken) {
      try {
        const rejoin: ClassJoinOptions = { nickname, playerToken };
        return await this.enterClass(() => this.client.joinById(classCode, rejoin), false, true);
      } catch {
        forgetPlayerToken(classCode); // unknown here (e.g. another class with this code): join afresh
      }
    }
    const join: ClassJoinOptions = { nickname };
    await this.enterClass(() => this.client.joinById(classCode, join), false);
  }

  /** The teacher creates a class over HTTP, then opens its lobby with the teacher secret. */
  async createClass(): Promise<CreateClassResponse> {
    this.status('connecting');
    let created: CreateClassResponse;
    try {
      created = await this.http.createClass();
    } catch (err) {
      this.failJoin(err);
      throw err;
    }
    await this.openClassAsTeacher(created.code, created.teacherSecret);
    return created;
  }

  /**
   * The teacher comes back to a class (e.g. on the projector laptop) with its secret. The key is
   * kept for this browser session only, unless the teacher asks to remember it on this computer.
   */
  async openClassAsTeacher(code: string, teacherSecret: string, remember = false): Promise<void> {
    const classCode = normaliseCode(code);
    const secret = teacherSecret.trim();
    this.place.teacherSecret = secret;
    this.place.code = classCode;
    await this.enterClass(() => this.client.joinById(classCode, { teacherSecret: secret } satisfies ClassJoinOptions), true);
    this.place.keepTeacherKey(classCode, secret, remember);
  }

  /** The teacher leaves the dashboard on a shared computer: the key is forgotten here, and the landing page asks for it again. */
  async signOut(): Promise<void> {
    this.place.signOut();
    await this.leaveAll();
  }

  /**
   * One of the round's files the view offers. A seat asks its room; the teacher fetches the
   * room's last finished round with the secret in a header (as the CSV export). Either way
   * the file arrives as `game:file`.
   */
  async download(offer: DownloadOffer): Promise<void> {
    const room = this.game;
    if (!room) return this.notConnected();
    if (this.teacherDesk.teachesThisRoom) return this.teacherDesk.roomFile(room.roomId, offer);
    this.sendGame('download', { file: offer.file });
  }

  /**
   * After a page reload: come back to the rooms this tab was in. The class first (by its token,
   * else by the player token or teacher key kept on this device), then the game room (by its
   * token, else by the seat ticket the class sends again). Meanwhile an assignment from the class
   * waits: following it at the same time would open the room twice and race for the seat.
   */
  resume(): Promise<boolean> {
    if (!this.resuming) {
      this.seats.hold();
      this.resuming = this.reconnection.resume().finally(() => {
        this.resuming = undefined;
        this.seats.release();
      });
    }
    return this.resuming;
  }

  async leaveGame(): Promise<void> {
    const room = this.game;
    this.game = undefined;
    writeTokens({ ...readTokens(), game: undefined });
    this.forgetRound();
    if (room) await room.leave(true).catch(() => undefined);
    this.bus.emit('game:left', { reason: 'left' });
  }

  async leaveAll(): Promise<void> {
    this.stopped = true;
    await this.leaveGame();
    const klass = this.klass;
    this.klass = undefined;
    writeTokens({});
    if (klass) await klass.leave(true).catch(() => undefined);
    this.bus.forget('class:state');
    this.bus.emit('class:left', { reason: 'left' });
    this.stopped = false;
    this.status('idle');
  }

  // ---- playing -------------------------------------------------------------------------

  act(action: AnyAction): void {
    this.sendGame('action', action);
  }
  chooseSeat(role: Role): void {
    this.sendGame('chooseSeat', { role });
  }
  configure(level: Level, bots: Partial<BotBehaviours>, event?: LevelEvent): void {
    const settings = { level, bots, ...(event ? { event } : {}) };
    this.settings.ask(settings);
    this.sendGame('configure', settings);
  }
  /** The host changes one setting of the next round, on top of any change the room has not shown yet. */
  changeSettings(shown: LobbyInfo, change: SettingsChange): void {
    const { level, bots, event } = this.settings.change(settingsShown(shown), change);
    this.configure(level, bots, event);
  }
  start(): void {
    this.sendGame('start', {});
  }
  setSpeed(speed: number): void {
    this.sendGame('setSpeed', { speed });
  }

  /** This tab was replaced by another one of the same person; play here again (taking the seat back). */
  playHere(): Promise<void> {
    return this.seats.playHere();
  }

  /** Whether another tab of this person holds the seat (this one waits until asked to play here). */
  get isSuperseded(): boolean {
    return this.seats.isSuperseded;
  }

  // ---- teaching ------------------------------------------------------------------------

  teacher<K extends keyof ClassClientMessages>(type: K, payload: ClassClientMessages[K]): void {
    if (!this.klass) return this.notConnected();
    this.klass.send(type, payload);
  }

  // ---- internals -----------------------------------------------------------------------

  private sendGame<K extends keyof GameClientMessages>(type: K, payload: GameClientMessages[K]): void {
    if (!this.game) return this.notConnected();
    this.game.send(type, payload);
  }

  private forgetRound(): void {
    this.bus.forget('game:view');
    this.bus.forget('game:spectate');
    this.bus.forget('game:lobby');
  }

  private notConnected(): void {
    this.bus.emit('net:error', { code: 'offline', message: 'Not connected to a room yet.' });
  }

  private status(state: 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline', detail?: string): void {
    this.bus.emit('net:status', { state, detail });
  }

  /** Open a room; a failure is told to the player (unless quiet) and thrown. */
  private async opened(open: () => Promise<Room>, quiet: boolean): Promise<Room> {
    this.status('connecting');
    try {
      return await open();
    } catch (err) {
      if (!quiet) this.failJoin(err);
      throw err;
    }
  }

  /** A room's connection ends: dropped, it is come back to (reconnection.ts); closed on purpose, by either side, `closed` hears why. */
  private onLeave(kind: RoomKind, room: Room, closed: (code: number, reason: string | undefined) => void): void {
    room.onLeave((code: number, reason?: string) => {
      if ((kind === 'game' ? this.game : this.klass) !== room) return;
      if (!this.stopped && !CONSENTED_CLOSE.has(code)) void this.reconnection.afterDrop(kind, room.reconnectionToken);
      else closed(code, reason);
    });
  }

  private async enterGame(open: () => Promise<Room>, practice: boolean, quiet = false): Promise<void> {
    const room = await this.opened(open, quiet);
    // Listen before anything else can be awaited: the room sends this seat's view on joining.
    const previous = this.game;
    this.forgetRound();
    this.practice = practice;
    this.attachGame(room);
    this.status('connected');
    // Moving rooms (a class student reassigned elsewhere): leave the old one only now.
    if (previous && previous !== room) await previous.leave(true).catch(() => undefined);
  }

  private attachGame(room: Room): void {
    this.game = room;
    writeTokens({ ...readTokens(), game: { token: room.reconnectionToken, practice: this.practice } });
    relayGameMessages(room, this.bus);
    let announced = false;
    room.onStateChange((state: unknown) => {
      const lobby: LobbyInfo = readLobbyState(state as GameState, room.sessionId);
      if (!announced) {
        announced = true;
        this.bus.emit('game:joined', { code: lobby.code, practice: this.practice });
      }
      this.settings.shown(settingsShown(lobby));
      this.bus.emit('game:lobby', lobby);
    });
    room.onMessage('error', (error: ProtocolError) => {
      if (error.type === 'configure') this.settings.refused();
    });
    this.onLeave('game', room, (code, reason) => {
      const replaced = code === CLOSE_CODES.replaced;
      // Another tab of this person plays on: this one stops following class assignments
      // (or the two would take the seat from each other every round) until asked to.
      if (replaced) this.seats.replaced();
      this.gone('game', reason || 'The room closed.', replaced);
    });
  }

  private async enterClass(open: () => Promise<Room>, isTeacher: boolean, quiet = false): Promise<void> {
    const room = await this.opened(open, quiet);
    this.place.isTeacher = isTeacher;
    this.attachClass(room);
    this.status('connected');
  }

  private attachClass(room: Room): void {
    this.klass = room;
    relayClassMessages(room, this.bus, { place: this.place, seats: this.seats, desk: this.teacherDesk });
    this.onLeave('class', room, (_code, reason) => this.gone('class', reason || 'The teacher removed you, or the class closed.'));
  }

  /** A room is gone for this tab (closed, or given up on after a drop): it, its token and what it showed are forgotten. */
  private gone(kind: RoomKind, reason: string, replaced = false): void {
    writeTokens({ ...readTokens(), [kind]: undefined });
    if (kind === 'game') {
      this.game = undefined;
      this.forgetRound();
      this.bus.emit('game:left', { reason, replaced });
    } else {
      this.klass = undefined;
      this.bus.forget('class:state');
      this.bus.emit('class:left', { reason });
    }
  }

  private failJoin(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.status('offline', message);
    this.bus.emit('net:error', { code: 'join', message: friendlyJoinError(message) });
  }
}

export function normaliseCode(code: string): string {
  return code.trim().toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function friendlyJoinError(message: string): string {
  if (/not found|no rooms found|invalid/i.test(message)) return `No room with that code is open (${message}).`;
  if (/fetch|network|ECONNREFUSED/i.test(message)) return 'The game server cannot be reached.';
  return message;
}

export { lastTaughtClass, readNickname, rememberNickname } from './browserStorage.ts';
