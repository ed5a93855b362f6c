/**
 * The game room's shared state: what everyone in the room may see. Nothing secret lives here
 * (no keys, no packet bytes, no round secret); each seat's view of the round travels as a
 * targeted `view` message instead. Browsers import these types with `import type`.
 */
import { ArraySchema, MapSchema, Schema, type } from '@colyseus/schema';

export class Member extends Schema {
  @type('string') sessionId = '';
  @type('string') nickname = '';
  /** '' while not seated. */
  @type('string') role = '';
  /** False while the room keeps the seat for a dropped player to come back. */
  @type('boolean') connected = true;
  @type('boolean') host = false;
  /** Class play: the student's team name. */
  @type('string') team = '';
  /** Watches only (the teacher's projector): never holds a seat. */
  @type('boolean') watcher = false;
}

export class Seat extends Schema {
  @type('string') role = '';
  /** True when no person holds the seat: a bot plays it. */
  @type('boolean') bot = true;
  @type('string') behaviour = '';
  @type('number') points = 0;
}

export type GamePhase = 'lobby' | 'playing' | 'over';

export class GameState extends Schema {
  @type('string') code = '';
  /** Set when the room belongs to a class match (seats are then assigned by the teacher's plan). */
  @type('string') classCode = '';
  @type('boolean') demo = false;
  @type('string') phase: GamePhase = 'lobby';
  @type('number') level = 1;
  /** The event the host switched on for the next round (shared/basics/events.ts); '' for none. */
  @type('string') event = '';
  /** The events the level offers (its module's `events`): the host's Event select lists them. */
  @type(['string']) eventsOffered = new ArraySchema<string>();
  @type('number') round = 0;
  /** Network speed: 0 pauses the round (packets, bots and the timer). */
  @type('number') speed = 1;
  /** Whole seconds left in the round, refreshed once a second while playing. */
  @type('number') secondsLeft = 0;
  @type({ map: Member }) members = new MapSchema<Member>();
  @type({ map: Seat }) seats = new MapSchema<Seat>();
  @type('string') lastOutcome = '';
  @type('string') lastSummary = '';
  /** Class play: a word from the teacher's side, e.g. "The teacher moved on to the next round." */
  @type('string') notice = '';
}
