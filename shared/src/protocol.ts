/**
 * The one map of messages between the browser and the game server, with their payloads.
 * Server and client both import it; nothing else names a message. Rooms validate every
 * incoming payload against it (see server/src/validation) before anything else runs.
 */
import type { ActionError, AnyAction, BotBehaviours, DownloadFile, Level, LevelEvent, Role, RoleView, SpectatorView } from './round/types.ts';
import type { MatchStep } from './basics/teaching-map.ts';
import type { Misconception } from './basics/misconceptions.ts';

/**
 * Websocket close codes the server uses on purpose (the browser does not try to reconnect):
 * closed (left, removed, the room closed) and replaced (the same person opened the room in
 * another tab or window, which plays on).
 */
export const CLOSE_CODES = { closed: 4000, replaced: 4010 } as const;

/** Colyseus room names. */
export const ROOM = { game: 'game', classLobby: 'class' } as const;

/** Browser → server, in a game room. */
export interface GameClientMessages {
  /** A player's move in the round, for the seat they hold. */
  action: AnyAction;
  /** Take a seat (before the round starts). */
  chooseSeat: { role: Role };
  /** Host only: level, the behaviour of bots in empty seats, and an event the level offers (none when absent). */
  configure: { level: Level; bots: Partial<BotBehaviours>; event?: LevelEvent };
  /** Host only: start (or restart) the round. */
  start: Record<string, never>;
  /** Network view speed: 0 pauses, 1 is normal (host only in class play). */
  setSpeed: { speed: number };
  /** The browser could not apply a view patch: send the view whole. */
  resync: Record<string, never>;
  /** One of the round's files this seat is offered (its view's `downloads`); answered with `download`. */
  download: { file: DownloadFile };
}

/** Server → browser, in a game room. */
export interface GameServerMessages {
  /** This seat's view of the round, whole: only what its role may know. */
  view: RoleView;
  /** The changes to apply to the last view (or spectator view) this connection got. */
  viewPatch: { ops: JsonPatchOperation[] };
  spectatePatch: { ops: JsonPatchOperation[] };
  /** A rejected message, to its sender only. */
  error: ProtocolError;
  /** For a member without a seat (e.g. watching a demo): what every seat may see. */
  spectate: SpectatorView;
  /** The file a `download` asked for, to its sender only. */
  download: RoundFile;
}

/** A round's file as the server hands it out (to a seat over its socket, to the teacher over HTTP). */
export interface RoundFile {
  file: DownloadFile;
  filename: string;
  mediaType: string;
  bytes: Uint8Array;
}


/** Options for `client.create(ROOM.game, …)`; `demo` seats four bots that play by themselves. */
export interface GameCreateOptions {
  nickname: string;
  demo?: boolean;
  /** A random key this browser keeps (LIMITS.deviceKeyPattern): the same person coming back gets their seat, and a second tab replaces the first. */
  deviceKey?: string;
}
/** Options for `client.joinById(code, …)`; class students pass the ticket from their assignment. */
export interface GameJoinOptions {
  nickname: string;
  ticket?: string;
  deviceKey?: string;
}

/** Browser → server, in a class lobby room. Teacher messages need the teacher secret at join. */
export interface ClassClientMessages {
  formTeams: { teams: string[][] }; // player ids per team
  autoBalance: { teamCount: number };
  setLevels: { levels: Level[] };
  /** The match's sequence, as the teacher picks it on the map: a level per step, and optionally an event that level offers (basics/teaching-map.ts). Each step is played twice, sides swapped. */
  setSequence: { steps: MatchStep[] };
  /** Start the match with the levels set; `hiddenAttacker`: each round, each room has an attacker or none, and the defenders are not told which (docs/rules.md). */
  startMatch: { hiddenAttacker?: boolean };
  pause: Record<string, never>;
  resume: Record<string, never>;
  /**
   * Move on from round `round` (the index the dashboard shows), as the button said: `stop` —
   * stop round `round` where it stands; otherwise start the next round now (skip the break
   * after it). A click whose round has moved on meanwhile is refused, so a button can never act
   * with the meaning it took under the cursor.
   */
  nextRound: { round: number; stop: boolean };
  /** Hold the automatic advance between rounds (the next round waits for Next round), or let it run. */
  holdAdvance: { hold: boolean };
  endMatch: Record<string, never>;
  removePlayer: { playerId: string };
  /** The most students the class takes (new joins are refused beyond it). */
  setClassSize: { maxStudents: number };
  /** Remove every student who joined in the last `minutes` minutes (a flood of made-up names). */
  removeRecent: { minutes: number };
}

export interface ClassServerMessages {
  /** A student's seat for the current round: join this game room (passing the ticket) with this role. */
  assignment: { roomCode: string; role: Role; team: string; ticket: string };
  /** Sent to a student on joining: keep playerToken to rejoin as the same player later. */
  welcome: { playerId: string; playerToken: string };
  /** To the teacher, for each game room of the match: join it with this ticket to watch (public view, no seat). */
  watch: { roomCode: string; ticket: string };
  /**
   * To the teacher only, in a hidden-attacker match, as each round starts: which rooms have an
   * attacker this round (the dashboard shows it; the projector and the students learn it from each
   * room's result).
   */
  hiddenAttackers: { round: number; rooms: { roomCode: string; attacker: boolean }[] };
  /**
   * To the teacher only: what each student's play has shown so far in this class's matches
   * (referee/misconceptions.ts), with how many rounds showed it — the class's report. Students and
   * the projector never receive it.
   */
  misconceptions: { students: { playerId: string; shown: { misconception: Misconception; rounds: number }[] }[] };
  error: ProtocolError;
}

/** Options for `client.joinById(classCode, …)`: a student passes nickname (and playerToken to rejoin); the teacher passes teacherSecret. */
export interface ClassJoinOptions {
  nickname?: string;
  playerToken?: string;
  teacherSecret?: string;
}

/**
 * HTTP API. POST /api/classes answers CreateClassResponse; GET /api/classes/:code/results.csv
 * and GET /api/classes/:code/rooms/:room/files/:file (a DownloadFile of the room's last finished
 * round: `roomFilePath`) need the X-Teacher-Secret header (never in the URL, where logs and
 * history keep it); GET /api/addresses answers AddressesResponse.
 */
export const HTTP = { createClass: '/api/classes', teacherSecretHeader: 'x-teacher-secret', addresses: '/api/addresses' } as const;
export function roomFilePath(classCode: string, roomCode: string, file: DownloadFile): string {
  return `${HTTP.createClass}/${encodeURIComponent(classCode)}/rooms/${encodeURIComponent(roomCode)}/files/${file}`;
}
export interface CreateClassResponse {
  code: string;
  teacherSecret: string;
}
/** Where students can reach the server (for the join link and QR code), best first; `localhost` last if at all. */
export interface AddressesResponse {
  urls: string[];
}

/** Every typed rejection the server sends, to the sender only. */
export type ProtocolErrorCode = ActionError['code'] | 'unknownMessage' | 'tooLarge' | 'rateLimited' | 'serverError';
export interface ProtocolError {
  code: ProtocolErrorCode;
  message: string;
  /** The message type that was rejected, when known. */
  type?: string;
}

export type GameClientMessage = keyof GameClientMessages;
export type ClassClientMessage = keyof ClassClientMessages;

export const GAME_CLIENT_MESSAGES = ['action', 'chooseSeat', 'configure', 'start', 'setSpeed', 'resync', 'download'] as const satisfies readonly GameClientMessage[];

/** One RFC 6902 JSON Patch operation (as fast-json-patch makes and applies them). */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test' | '_get';
  path: string;
  value?: unknown;
  from?: string;
}
export const CLASS_CLIENT_MESSAGES = [
  'formTeams',
  'autoBalance',
  'setLevels',
  'setSequence',
  'startMatch',
  'pause',
  'resume',
  'nextRound',
  'holdAdvance',
  'endMatch',
  'removePlayer',
  'setClassSize',
  'removeRecent',
] as const satisfies readonly ClassClientMessage[];

/** Class teams are named in this order (the server deals them; the dashboard shows the next one before it exists). */
export const TEAM_NAMES = [
  'Red', 'Blue', 'Green', 'Gold', 'Purple', 'Orange', 'Teal', 'Silver',
  'Coral', 'Indigo', 'Lime', 'Amber', 'Navy', 'Olive', 'Plum', 'Sky',
] as const;

/** Limits the server enforces and the client respects. */
export const LIMITS = {
  nicknameMin: 2,
  nicknameMax: 16,
  /**
   * Letters, digits, space, dash, underscore, in any script (students' names are not all ASCII),
   * with the combining marks many scripts write letters with (Devanagari's vowel signs: अनिल),
   * beginning with a letter or digit.
   */
  nicknamePattern: /^[\p{L}\p{N}][\p{L}\p{M}\p{N} _-]*$/u,
  roomCodeAlphabet: 'ABCDEFGHJKMNPQRSTUVWXYZ23456789', // no 0/O, 1/I/L
  roomCodeLength: 5,
  maxMessageBytes: 8 * 1024,
  actionsPerSecond: 20,
  reconnectSeconds: 30,
  /** Join attempts (game and class rooms) per client address per minute. */
  joinsPerMinute: 120, // a whole class behind one school NAT must fit; guessing a code still takes years
  /** A browser's device key: random, URL-safe. */
  deviceKeyPattern: /^[A-Za-z0-9_-]{16,64}$/,
  /** Highest network speed the host may set (0 pauses). */
  maxSpeed: 4,
} as const;
