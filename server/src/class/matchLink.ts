/**
 * How a class lobby and the game rooms of its match talk: in messages, never by in-memory
 * reference, so the lobby may run on one server process and each game room on another. The
 * server carries them with Colyseus' `matchMaker.remoteRoomCall` (a direct call when both
 * rooms are in one process, presence pub/sub through Redis when they are not); everything
 * passed is plain JSON. The headless server (core/headless.ts) carries the same calls in
 * process, on a drivable clock.
 *
 * The lobby opens each game room with an unguessable match key and the deployment's open
 * key: a room a browser creates cannot claim to belong to a class, and a command or a report
 * that does not carry the room's match key is ignored. In a match room a person's key is
 * their class player id; a ticket (from the student's assignment, or the teacher's watch
 * message) is checked with the lobby when it is used.
 */
import { LEVEL_EVENTS, MISCONCEPTIONS, offersEvent, type BotBehaviours, type HiddenAttacker, type Level, type LevelEvent, type Misconception, type Outcome, type Role } from '@heist/shared';
import type { RoundOver, RoundPlan } from '../game/session.ts';
import type { HiddenAttackerTruth } from '../persistence/store.ts';

/** Options the lobby opens a game room of its match with. */
export interface MatchRoomOptions {
  openKey: string;
  classCode: string;
  matchKey: string;
  /** The server process running the lobby: when it dies, the match is over for the room (core/gameHost.ts). */
  lobbyProcessId: string;
}

/** A round's seats, as JSON (RoundPlan holds Maps). */
export interface PlanMessage {
  level: Level;
  bots: Partial<BotBehaviours>;
  /** Alice's browser has bank.example on its HSTS list (a returning visitor), or not (a first visit). */
  clientHsts?: boolean;
  /** A hidden-attacker match: whether this room has an attacker this round. */
  hiddenAttacker?: HiddenAttacker;
  /** The round's event, from the teacher's sequence; null: none (the level as it is). */
  event?: LevelEvent | null;
  seats: [playerId: string, role: Role][];
  teamOf: [playerId: string, teamName: string][];
  expected: string[];
  graceMs: number;
}

/** What only the lobby knows about a class round: its match, its place in it, and the teams on each side. */
export interface ClassRoundContext {
  matchNumber: number;
  roundIndex: number;
  defendingTeam: string | null;
  attackingTeam: string | null;
}

/** Lobby → game room. */
export type MatchCommand =
  /**
   * Seat the players by the plan (empty seats go to bots) and start the round; a round still
   * playing is stopped first, with `notice` shown to the room. `record`: for the room to write
   * the round itself should the lobby be gone when it ends.
   */
  | { kind: 'startRound'; plan: PlanMessage; record: ClassRoundContext; notice: string }
  | { kind: 'setSpeed'; speed: number }
  /** Remove a player from the room (the teacher's "remove"). */
  | { kind: 'kick'; playerId: string }
  /** Close the room, telling everyone in it why. */
  | { kind: 'close'; reason: string };

/** Lobby → game room, answering a ticket: a student of the match, the teacher watching, or nobody. */
export type TicketHolder = { watcher: true } | { watcher: false; playerId: string; nickname: string; teamName: string } | null;

/** Game room → lobby: a round finished with a result; `seated` keys are player ids. */
export interface RoundReport {
  /** The class round, as the lobby described it when it started the round. */
  round: ClassRoundContext;
  level: Level;
  outcome: Outcome;
  summary: string;
  /** A hidden-attacker match: whether the room had an attacker, as the round's result revealed it. */
  hiddenAttacker?: HiddenAttackerTruth;
  /** The event the round was played with, if any. */
  event?: LevelEvent;
  /** What each seat's play showed (referee/misconceptions.ts): for the teacher's report only. */
  misconceptions?: Partial<Record<Role, Misconception[]>>;
  points: Partial<Record<Role, number>>;
  botSeats: Role[];
  seated: { key: string; role: Role }[];
  startedAt: number;
  endedAt: number;
}

export function planMessage(plan: RoundPlan): PlanMessage {
  return {
    level: plan.level,
    bots: plan.bots,
    ...(plan.clientHsts !== undefined ? { clientHsts: plan.clientHsts } : {}),
    ...(plan.hiddenAttacker ? { hiddenAttacker: { present: plan.hiddenAttacker.present } } : {}),
    ...(plan.event !== undefined ? { event: plan.event } : {}),
    seats: [...plan.seats],
    teamOf: [...plan.teamOf],
    expected: [...plan.expected],
    graceMs: plan.graceMs,
  };
}

export function planFrom(message: PlanMessage): RoundPlan {
  const hidden = message.hiddenAttacker;
  return {
    level: message.level,
    bots: message.bots,
    ...(typeof message.clientHsts === 'boolean' ? { clientHsts: message.clientHsts } : {}),
    ...(hidden && typeof hidden.present === 'boolean' ? { hiddenAttacker: { present: hidden.present } } : {}),
    ...(message.event !== undefined ? { event: planEvent(message.level, message.event) } : {}),
    seats: new Map(message.seats),
    teamOf: new Map(message.teamOf),
    expected: message.expected,
    graceMs: message.graceMs,
  };
}

/** The lobby's answer to a report: it has it (and wrote it), or it runs no match with that key (the match is over). */
export type ReportAnswer = 'recorded' | 'unknownMatch';

/** What a game room of the match may ask of its class lobby (core/classHost.ts answers). */
export interface LobbyCalls {
  /** Who a ticket admits to the room opened with `matchKey`. */
  matchTicket(matchKey: string, ticket: unknown): TicketHolder;
  matchRoundOver(matchKey: string, report: RoundReport): ReportAnswer;
  /** Whether the room still belongs to the match (it asks after a while without a round). */
  matchKnown(matchKey: string): boolean;
  /** The room's process shuts down before its round could end there. */
  matchRoomClosing(matchKey: string): boolean;
}

/** What the lobby tells a game room of its match (core/gameHost.ts answers); false: not this room's match. */
export interface GameRoomCalls {
  matchCommand(matchKey: string, command: MatchCommand): boolean;
}

export function roundReport(info: RoundOver, round: ClassRoundContext): RoundReport {
  const { outcome, summary, points, hiddenAttacker } = info.result;
  return {
    round,
    level: info.level,
    outcome,
    summary,
    ...(hiddenAttacker ? { hiddenAttacker: hiddenAttacker.present ? ('present' as const) : ('absent' as const) } : {}),
    ...(info.event ? { event: info.event } : {}),
    misconceptions: info.misconceptions,
    points,
    botSeats: info.botSeats,
    seated: info.seated,
    startedAt: info.startedAt,
    endedAt: info.endedAt,
  };
}

/** A plan's event as another process sent it: one the level offers, or none (null). */
function planEvent(level: Level, event: unknown): LevelEvent | null {
  const known = LEVEL_EVENTS.find((e) => e === event);
  return known && offersEvent(level, known) ? known : null;
}

/** A report's misconceptions as another process sent them: known names only, per seat. */
export function reportedMisconceptions(report: RoundReport, role: Role): Misconception[] {
  const shown: unknown = report.misconceptions?.[role];
  return Array.isArray(shown) ? MISCONCEPTIONS.filter((m) => shown.includes(m)) : [];
}
