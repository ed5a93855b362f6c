/**
 * The class lobby's shared state: students, teams, matches and the leaderboard. Students and
 * the teacher's projector both render it; the teacher secret and player tokens never appear.
 */
import { ArraySchema, MapSchema, Schema, type } from '@colyseus/schema';

export class Student extends Schema {
  @type('string') id = '';
  @type('string') nickname = '';
  @type('string') team = ''; // team id, '' if none
  @type('boolean') connected = false;
  @type('number') points = 0;
  /** This round's seat ('' when sitting out), and the next round's once it is known. */
  @type('string') role = '';
  @type('string') nextRole = '';
}

export class Team extends Schema {
  @type('string') id = '';
  @type('string') name = '';
  @type(['string']) members = new ArraySchema<string>();
  @type('number') points = 0;
}

/** One game room of the match: two teams, and how their current round stands. */
export class Match extends Schema {
  @type('string') roomCode = '';
  @type('string') teamA = '';
  @type('string') teamB = ''; // '' when the other side is all bots
  @type('string') defending = '';
  @type('string') attacking = '';
  @type('number') level = 1;
  /** lobby | playing | over | interrupted */
  @type('string') phase = 'lobby';
  @type('string') outcome = '';
  @type('string') summary = '';
  /** The room is open, so the teacher may show it live; false once the match ended and closed it. */
  @type('boolean') open = true;
  /**
   * A hidden-attacker match: whether this round's room had an attacker — 'present' or 'absent' once
   * its round has its result (the debrief says it too), '' while it is played (everyone sees this
   * state: the truth must wait for the result).
   */
  @type('string') attacker = '';
  /** The event this round is played with (the teacher's sequence), '' for none: the students read it in their briefing anyway. */
  @type('string') event = '';
}

export class ClassState extends Schema {
  @type('string') code = '';
  /** lobby | playing | paused | ended */
  @type('string') status = 'lobby';
  @type(['number']) levels = new ArraySchema<number>(1);
  /** The event of each step of `levels` (the teacher's sequence), '' for none: as long as `levels`. */
  @type(['string']) events = new ArraySchema<string>('');
  /** Index into the match schedule; -1 before the match starts. */
  @type('number') round = -1;
  @type('number') totalRounds = 0;
  @type('boolean') teacherPresent = false;
  /** Between rounds: seconds until the next round starts by itself; -1 when nothing is counting down. */
  @type('number') nextRoundIn = -1;
  /** The teacher holds the automatic advance: the next round waits for "Next round". */
  @type('boolean') holding = false;
  /** The match is a hidden-attacker one: each round, each room has an attacker or none (which, nobody is told before the result). */
  @type('boolean') hiddenAttacker = false;
  /** The level of the next round, once the current one is over (0: none). */
  @type('number') nextLevel = 0;
  /** The event of the next round, once the current one is over ('' : none). */
  @type('string') nextEvent = '';
  /**
   * Results of rounds the database has not taken yet (it is away; they are kept and written when
   * it is back). The status waits for them: a match is shown as ended once its rounds are stored.
   */
  @type('number') unsaved = 0;
  /** The most students the class takes (the teacher sets it). */
  @type('number') maxStudents = 60;
  @type({ map: Student }) students = new MapSchema<Student>();
  @type({ map: Team }) teams = new MapSchema<Team>();
  @type({ map: Match }) matches = new MapSchema<Match>();
}
