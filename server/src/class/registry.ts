/**
 * How a class lobby and the game rooms of its match find each other inside this process.
 * The lobby opens each game room with an unguessable match key; a room created by a browser
 * cannot claim to belong to a class. In a match room a person's key is their class player id.
 */
import type { RoundOver, RoundPlan } from '../game/session.ts';

export interface MatchPlayer {
  playerId: string;
  nickname: string;
  teamName: string;
}

/** What the lobby can do to a game room of its match. */
export interface MatchRoomControls {
  /** Seat the players by the plan (player id → role; empty seats go to bots) and start the round; a round still playing is stopped first, with `notice` shown to the room. */
  startRound(plan: RoundPlan, notice?: string): void;
  /** Stop the round being played, without a result. */
  interrupt(notice: string): void;
  setSpeed(speed: number): void;
  /** Remove a player from the room (teacher's "remove"). */
  kick(playerId: string): void;
  /** Close the room, telling everyone in it why. */
  close(reason: string): void;
}

export interface MatchLink {
  classCode: string;
  /** A student's ticket, from their assignment, or undefined if it is not valid for this match. */
  player(ticket: string): MatchPlayer | undefined;
  /** The teacher's ticket to watch the room (no seat, public view). */
  isWatcher(ticket: string): boolean;
  attach(roomCode: string, controls: MatchRoomControls): void;
  /** A round finished with a result; `seated` keys are player ids. */
  roundOver(roomCode: string, info: RoundOver): void;
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
