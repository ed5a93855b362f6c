/**
 * How a class lobby and the game rooms of its match find each other inside this process.
 * The lobby opens each game room with an unguessable match key; a room created by a browser
 * cannot claim to belong to a class.
 */
import type { BotBehaviours, Level, Role } from '@heist/shared';
import type { RoundOver } from '../game/session.ts';

export interface MatchRoundOver extends RoundOver {
  /** The class players who held each seat at the end. */
  players: { playerId: string; role: Role }[];
}

export interface MatchPlayer {
  playerId: string;
  nickname: string;
  teamName: string;
}

/** What the lobby can do to a game room of its match. */
export interface MatchRoomControls {
  /**
   * Seat the players by `plan` (player id → role; empty seats go to bots) and start the round
   * once every player in `expected` is in the room, or after `graceMs` at the latest.
   */
  startRound(round: { level: Level; plan: ReadonlyMap<string, Role>; teamOf: ReadonlyMap<string, string>; bots: Partial<BotBehaviours>; expected: readonly string[]; graceMs: number }): void;
  setSpeed(speed: number): void;
  /** Remove a player from the room (teacher's "remove"). */
  kick(playerId: string): void;
  close(): void;
}

export interface MatchLink {
  classCode: string;
  /** A student's ticket, from their assignment, or undefined if it is not valid for this match. */
  player(ticket: string): MatchPlayer | undefined;
  /** The teacher's ticket to watch the room (no seat, public view). */
  isWatcher(ticket: string): boolean;
  attach(roomCode: string, controls: MatchRoomControls): void;
  roundOver(roomCode: string, info: MatchRoundOver): void;
}

export class MatchRegistry {
  private readonly links = new Map<string, MatchLink>();

  register(matchKey: string, link: MatchLink): void {
    this.links.set(matchKey, link);
  }

  get(matchKey: unknown): MatchLink | undefined {
    return typeof matchKey === 'string' ? this.links.get(matchKey) : undefined;
  }

  unregister(matchKey: string): void {
    this.links.delete(matchKey);
  }
}
