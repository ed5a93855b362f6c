/**
 * What only the teacher's tab does beside the class socket: keeps the teacher key (for this
 * browser session, or on this computer if asked), holds the watch ticket of each room of the
 * running match and shows a room live with it, fetches the teacher's files over HTTP (the
 * results CSV, a watched room's round files: the key travels in a header), and says where
 * students join (the projector's QR code). Panels reach it as `GameConnection.teacherDesk`.
 */
import type { Bus } from '../bus.ts';
import type { ClassServerMessages, DownloadOffer } from '../shared.ts';
import { joinUrl } from './addresses.ts';
import type { ClassPlace } from './classPlace.ts';
import type { HttpApi } from './httpApi.ts';

/** What watching a room needs of the connection. */
export interface RoomWatcher {
  /** The game room this tab is in, if any. */
  gameRoom(): string | undefined;
  /** Join a room as its watcher, quietly (a failure rejects; the desk tells the teacher). */
  watch(roomCode: string, ticket: string): Promise<void>;
}

export class TeacherDesk {
  /** The watch ticket of each room of the running match. */
  private readonly tickets = new Map<string, string>();
  /** A hidden-attacker match: which rooms have an attacker in the round being played (the teacher alone is told). */
  private attackers: ClassServerMessages['hiddenAttackers'] | undefined;
  /** What each student's play has shown so far (the teacher alone is told). */
  private report: ClassServerMessages['misconceptions'] = { students: [] };

  constructor(
    private readonly bus: Bus,
    private readonly place: ClassPlace,
    private readonly http: HttpApi,
    /** The page's own origin, where the game server is. */
    private readonly endpoint: string,
    private readonly watcher: RoomWatcher,
  ) {}

  // ---- the teacher key -----------------------------------------------------------------

  /** The teacher key, for the dashboard to show (the teacher notes it to reopen the class elsewhere). */
  get teacherKey(): string | undefined {
    return this.place.teacherSecret;
  }

  /** Whether this computer remembers the teacher key of the class open here (beyond this browser session). */
  get teacherKeyRemembered(): boolean {
    return this.place.keyRemembered;
  }

  /** Remember the key on this computer, or keep it for this browser session only. */
  rememberTeacherKey(remember: boolean): void {
    this.place.rememberKey(remember);
  }

  // ---- the teacher's files -------------------------------------------------------------

  /** Whether this tab may export the class results (it holds the teacher secret). */
  get canExportResults(): boolean {
    return this.place.teacher !== undefined;
  }

  /** The class results as a CSV file (undefined, and the teacher told why, if it cannot be had). */
  async resultsCsv(): Promise<Blob | undefined> {
    const teacher = this.place.teacher;
    if (!teacher) return undefined;
    try {
      return await this.http.resultsCsv(teacher.code, teacher.teacherSecret);
    } catch (err) {
      this.bus.emit('net:error', { code: 'export', message: (err as Error).message });
      return undefined;
    }
  }

  /** This tab watches a room of the class it teaches: the room's files come over HTTP with the teacher secret. */
  get teachesThisRoom(): boolean {
    const room = this.watcher.gameRoom();
    return this.canExportResults && room !== undefined && this.tickets.has(room);
  }

  /** One file of the watched room's last finished round; it arrives as `game:file`. */
  async roomFile(roomId: string, offer: DownloadOffer): Promise<void> {
    const teacher = this.place.teacher;
    if (!teacher) return;
    try {
      const got = await this.http.roomFile(teacher.code, roomId, offer.file, teacher.teacherSecret);
      this.bus.emit('game:file', { file: offer.file, filename: offer.filename, ...got });
    } catch (err) {
      this.bus.emit('net:error', { code: 'download', message: (err as Error).message });
    }
  }

  // ---- watching the match's rooms ------------------------------------------------------

  /** The class lobby sent the ticket to watch one room of the match. */
  ticket(w: ClassServerMessages['watch']): void {
    this.tickets.set(w.roomCode, w.ticket);
    this.bus.emit('class:watchable', { rooms: this.watchableRooms });
  }

  /** The class lobby told the teacher which rooms have an attacker this round. */
  hiddenAttackers(m: ClassServerMessages['hiddenAttackers']): void {
    this.attackers = m;
    this.bus.emit('class:hiddenAttackers', m);
  }

  /** The class lobby told the teacher what each student's play has shown so far. */
  misconceptions(m: ClassServerMessages['misconceptions']): void {
    this.report = m;
    this.bus.emit('class:misconceptions', m);
  }

  /** What student `playerId`'s play has shown, with in how many rounds (none: empty). */
  shownBy(playerId: string): ClassServerMessages['misconceptions']['students'][number]['shown'] {
    return this.report.students.find((s) => s.playerId === playerId)?.shown ?? [];
  }

  /** Whether room `roomCode` has an attacker in round `round`, as the teacher was told (undefined: not told). */
  attackerIn(round: number, roomCode: string): boolean | undefined {
    return this.attackers?.round === round ? this.attackers.rooms.find((r) => r.roomCode === roomCode)?.attacker : undefined;
  }

  /** The rooms the teacher may watch (from the class lobby's watch messages). */
  get watchableRooms(): string[] {
    return [...this.tickets.keys()];
  }

  /** The teacher shows one room of the match live (on the projector): a watcher, no seat. */
  async watchRoom(roomCode: string): Promise<void> {
    const ticket = this.tickets.get(roomCode);
    if (!ticket) return this.bus.emit('net:error', { code: 'notFound', message: `Room ${roomCode} is not part of this match.` });
    if (this.watcher.gameRoom() === roomCode) return;
    try {
      await this.watcher.watch(roomCode, ticket);
    } catch {
      this.bus.emit('net:status', { state: 'idle' });
      this.bus.emit('net:error', { code: 'notFound', message: `Room ${roomCode} is closed: there is nothing left to show in it.` });
    }
  }

  // ---- where students join -------------------------------------------------------------

  /** The origin this page (and the game server) came from. */
  get pageOrigin(): string {
    return new URL(this.endpoint).origin;
  }

  /** Where students join, for the projector's QR code: at `origin`, else at the address this page came from. */
  joinUrl(code: string, origin = this.endpoint): string {
    return joinUrl(origin, code);
  }

  /** Addresses students can open, best first (addresses.ts). Fetched once. */
  reachableOrigins(): Promise<string[]> {
    return this.http.reachableOrigins();
  }
}
