/**
 * A class of students across several server processes, scripted as colyseus.js browsers: each
 * student keeps a lobby connection and follows their assignments into game rooms (staying in
 * the room they are in, joining a new one through whichever process the load balancer picks),
 * where they play as the shared bot logic would. Used by the tests that run a class over
 * several processes and break things under it.
 */
import { Redis } from 'ioredis';
import type { ClassServerMessages } from '@heist/shared';
import { autoPilot, BOTS, createClass, Lobbyist, Person, until } from '../helpers.ts';

/** A student's browser: the lobby connection, and the game room its latest assignment names. */
export class Pupil {
  game: Person | undefined;
  rooms: string[] = [];
  /** In this round (1-based) she makes no move while it is being played, until it is unset: a test's moment to fault. */
  holdIn: number | undefined;
  private stop: (() => void) | undefined;

  constructor(
    readonly nickname: string,
    readonly lobby: Lobbyist,
    private readonly anyProcess: () => string,
  ) {
    lobby.room.onMessage('assignment', (a: ClassServerMessages['assignment']) => void this.follow(a));
  }

  static async join(anyProcess: () => string, code: string, nickname: string): Promise<Pupil> {
    return new Pupil(nickname, await Lobbyist.join(ws(anyProcess()), code, { nickname }), anyProcess);
  }

  /** As the browser does: stay in the room it is in, else join the one assigned (by any process's matchmaker). */
  private async follow(a: ClassServerMessages['assignment']): Promise<void> {
    if (this.game && this.game.left === undefined && this.game.room.roomId === a.roomCode) return;
    this.stop?.();
    this.game = await Person.join(ws(this.anyProcess()), a.roomCode, this.nickname, { ticket: a.ticket });
    this.rooms.push(a.roomCode);
    const game = this.game;
    this.stop = autoPilot(game, BOTS, `${this.nickname}-${a.roomCode}`, 150, (view) => view.phase === 'playing' && game.state.round === this.holdIn);
  }

  async leave(): Promise<void> {
    this.stop?.();
    await this.game?.leave();
    await leaveRoom(this.lobby);
  }
}

/** Leaves a room, unless its connection is already closed (its process gone): then there is nothing to wait for. */
export async function leaveRoom(who: { room: { connection: { isOpen: boolean }; leave(consented?: boolean): Promise<unknown> } }): Promise<void> {
  if (who.room.connection.isOpen) await who.room.leave(true).catch(() => undefined);
}

export interface MatchView {
  roomCode: string;
  phase: string;
  outcome: string;
  summary: string;
}

/** The game rooms of the match as the teacher's dashboard shows them. */
export const matchesOf = (teacher: Lobbyist): MatchView[] => [...teacher.state.matches.values()] as MatchView[];

const ws = (http: string) => http.replace(/^http/, 'ws');

export interface ClassOfEight {
  code: string;
  teacherSecret: string;
  teacher: Lobbyist;
  pupils: Pupil[];
  names: string[];
}

/** A class, its teacher and eight students in four teams (two game rooms per round), playing `levels`. */
export async function classOfEight(anyProcess: () => string, levels: number[], names = ['Noor', 'Kofi', 'Lena', 'Yuki', 'Ravi', 'Ines', 'Tomas', 'Mei']): Promise<ClassOfEight> {
  const { code, teacherSecret } = await createClass(anyProcess());
  const teacher = await Lobbyist.join(ws(anyProcess()), code, { teacherSecret });
  const pupils: Pupil[] = [];
  for (const n of names) pupils.push(await Pupil.join(anyProcess, code, n));
  await until('welcomes', () => pupils.every((p) => p.lobby.welcome));
  const ids = pupils.map((p) => p.lobby.welcome!.playerId);
  teacher.send('formTeams', { teams: [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4, 6), ids.slice(6, 8)] });
  await until('four teams', () => teacher.state.teams.size === 4);
  teacher.send('setLevels', { levels });
  await until('levels', () => [...teacher.state.levels].join() === levels.join());
  return { code, teacherSecret, teacher, pupils, names };
}

/** Which process (its PUBLIC_ADDRESS) each room is listed on, from Colyseus' listings in Redis. */
export async function roomHosts(redisUrl: string): Promise<Map<string, string>> {
  const client = new Redis(redisUrl);
  try {
    const listings = await client.hgetall('roomcaches');
    return new Map(Object.values(listings).map((l) => JSON.parse(l) as { roomId: string; publicAddress: string }).map((l) => [l.roomId, l.publicAddress]));
  } finally {
    client.disconnect();
  }
}

/** The teacher's CSV as rows of cells (quotes removed). */
export async function csvRows(http: string, code: string, teacherSecret: string): Promise<string[][]> {
  const res = await fetch(`${http}/api/classes/${code}/results.csv`, { headers: { 'X-Teacher-Secret': teacherSecret } });
  if (res.status !== 200) throw new Error(`results.csv: ${res.status}`);
  const lines = (await res.text()).trim().split('\r\n');
  if (lines[0] !== 'round,level,room,outcome,role,player,team,points,ended_at,shared_by,team_points,match,attacker,event,misconceptions') throw new Error(`results.csv header: ${lines[0]}`);
  return lines.slice(1).map((l) => l.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
}
