/**
 * The single event bus: the only bridge between the connection, the Phaser scenes and the DOM
 * panels (as in phaserjs/template-react-ts). Every event and its payload is declared here.
 */
import type { ClassServerMessages, Level, LevelEvent, MatchStep, Role, RoleView, RoundFile, SpectatorView } from './shared.ts';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** A seat in the game room's lobby, as the panels draw it. */
export interface SeatInfo {
  role: Role;
  /** Nicknames of the humans in this seat (a team may share one). */
  players: string[];
  /** True when nobody holds it and a bot will play. */
  bot: boolean;
  behaviour: string;
  points: number;
}

/** The game room outside the round: who sits where, what will be played. */
export interface LobbyInfo {
  code: string;
  phase: 'lobby' | 'playing' | 'over';
  level: Level;
  /** The event the host switched on for the next round, if any. */
  event?: LevelEvent;
  /** The events this level offers (the host's Event select). */
  eventsOffered: LevelEvent[];
  round: number;
  /** Network speed: 0 pauses. */
  speed: number;
  secondsLeft: number;
  seats: SeatInfo[];
  members: { nickname: string; role?: Role; host: boolean; connected: boolean; team: string }[];
  /** This browser's seat, if it has one. */
  mySeat?: Role;
  /** This browser's nickname in the room. */
  myNickname?: string;
  isHost: boolean;
  demo: boolean;
  /** Class play: the room belongs to a class match, seats are assigned by the teacher. */
  classCode?: string;
  lastOutcome?: string;
  lastSummary?: string;
  /** Class play: a word from the teacher's side (e.g. the round was skipped). */
  notice?: string;
}

export interface ClassStudent {
  id: string;
  nickname: string;
  teamId: string;
  connected: boolean;
  points: number;
  /** This round's seat, and the next round's once known ('' for none). */
  role: string;
  nextRole: string;
}

export interface ClassTeam {
  id: string;
  name: string;
  members: string[];
  points: number;
}

export interface ClassMatch {
  roomCode: string;
  teamA: string;
  teamB: string;
  defending: string;
  attacking: string;
  level: Level;
  phase: string;
  outcome: string;
  summary: string;
  /** Still open: the teacher may show it live. */
  open: boolean;
  /** A hidden-attacker match: whether this round's room had an attacker, once its round has its result ('' before). */
  attacker: '' | 'present' | 'absent';
  /** The event this round is played with (the teacher's sequence), if any. */
  event?: LevelEvent;
}

/** The class lobby as the teacher dashboard and the students' waiting screen draw it. */
export interface ClassInfo {
  code: string;
  isTeacher: boolean;
  /** lobby | playing | paused | ended */
  status: string;
  levels: Level[];
  /** The match's sequence as the teacher picked it on the map: `levels`, each with its event if any. */
  sequence: MatchStep[];
  round: number;
  totalRounds: number;
  teacherPresent: boolean;
  /** Between rounds: seconds until the next round starts by itself (-1: not counting down). */
  nextRoundIn: number;
  /** The teacher holds the automatic advance. */
  holding: boolean;
  /** The next round's level once the current one is over (none yet: undefined). */
  nextLevel: Level | undefined;
  /** The next round's event, if it has one. */
  nextEvent?: LevelEvent;
  /** Round results the class database has not taken yet (it is away; the server keeps them). */
  unsaved: number;
  /** The most students the class takes (the teacher sets it). */
  maxStudents: number;
  /** The match is a hidden-attacker one: each round, each room has an attacker or none. */
  hiddenAttacker: boolean;
  students: ClassStudent[];
  /** Highest points first: the leaderboard. */
  teams: ClassTeam[];
  matches: ClassMatch[];
  /** This student's id (from the server's welcome). */
  me?: string;
}

export interface BusEvents {
  /** Connection state changes (connecting, reconnecting after a drop, offline). */
  'net:status': { state: ConnectionState; detail?: string };
  /** A message the server rejected, or a failure to join. */
  'net:error': { code: string; message: string };
  /** Joined a game room (practice, by code, or by class assignment). */
  'game:joined': { code: string; practice: boolean };
  'game:lobby': LobbyInfo;
  /** This seat's view of the round. */
  'game:view': RoleView;
  /** What a member without a seat sees (a demo, a teacher watching). */
  'game:spectate': SpectatorView;
  /** A round file arrived (a seat's own over its socket, or the teacher's over HTTP): save it. */
  'game:file': RoundFile;
  /** Out of the game room; `replaced` when another tab of this person took the seat. */
  'game:left': { reason: string; replaced?: boolean };
  'class:joined': { code: string; isTeacher: boolean };
  'class:state': ClassInfo;
  /** Out of the class lobby (left, removed by the teacher, or the connection could not be repaired). */
  'class:left': { reason: string };
  'class:assignment': { roomCode: string; role: Role; team: string };
  /** Teacher: the match's rooms that can be shown live. */
  'class:watchable': { rooms: string[] };
  /** Teacher only, in a hidden-attacker match: which rooms have an attacker this round. */
  'class:hiddenAttackers': { round: number; rooms: { roomCode: string; attacker: boolean }[] };
  /** Teacher only: what each student's play has shown so far (the class's report). */
  'class:misconceptions': ClassServerMessages['misconceptions'];
  /** A parcel was chosen (on the canvas or in a list): open it in the inspector. */
  'ui:selectPacket': { id: number };
  /** Reduced motion changed (media query or the player's toggle). */
  'ui:reducedMotion': { reduced: boolean };
}

type Handler<T> = (payload: T) => void;

export class EventBus<E extends object> {
  private handlers = new Map<keyof E, Set<Handler<never>>>();
  /** The last payload of each event, so a screen opened late can draw the current state. */
  private last = new Map<keyof E, unknown>();

  on<K extends keyof E>(event: K, handler: Handler<E[K]>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => this.off(event, handler);
  }

  off<K extends keyof E>(event: K, handler: Handler<E[K]>): void {
    this.handlers.get(event)?.delete(handler as Handler<never>);
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    this.last.set(event, payload);
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      try {
        (handler as Handler<E[K]>)(payload);
      } catch (err) {
        console.error(`bus handler for ${String(event)} failed`, err);
      }
    }
  }

  latest<K extends keyof E>(event: K): E[K] | undefined {
    return this.last.get(event) as E[K] | undefined;
  }

  forget<K extends keyof E>(event: K): void {
    this.last.delete(event);
  }
}

export type Bus = EventBus<BusEvents>;

/** The one bus of the page. */
export const bus: Bus = new EventBus<BusEvents>();
