/**
 * What a class lobby does with its rooms' reports when the way between them, or the database,
 * fails — real ClassLobby and GameSessions on a drivable clock (test/server/support/classroom.ts),
 * with the server's default timing:
 * - a report held up (Redis away) until after the teacher pressed Next round: the round is one
 *   row with its result, not an interrupted copy beside it, and the match goes on from where
 *   the teacher took it;
 * - a report delivered twice (its answer was lost, so it was sent again): one row, one advance;
 * - a report for a match the lobby does not run: the room is told the match is over;
 * - results the database does not take yet: the dashboard counts them and keeps saying
 *   "playing" until they are written; only then "ended".
 */
import { describe, expect, it } from 'vitest';
import type { ClassStatus, RecordedRound, RoundRecord, Store } from '../../server/src/persistence/store.ts';
import { Classroom, type Student } from './support/classroom.ts';

const NAMES = ['Ada', 'Grace', 'Linus', 'Radia', 'Whit', 'Shafi'];

async function classOfSix(options: Parameters<typeof Classroom.open>[1] = {}): Promise<{ c: Classroom; students: Student[] }> {
  const c = await Classroom.open({}, options);
  const students: Student[] = [];
  for (const n of NAMES) students.push(await c.join(n));
  const ids = students.map((s) => s.playerId);
  expect(await c.teacher('formTeams', { teams: [ids.slice(0, 3), ids.slice(3)] })).toBeNull();
  expect(await c.teacher('setLevels', { levels: [1, 2] })).toBeNull();
  return { c, students };
}

function room(c: Classroom) {
  const [only] = [...c.rooms.values()];
  if (!only) throw new Error('no room open');
  return only;
}

const dashboard = (c: Classroom) => {
  const [match] = [...c.lobby.state.matches.values()];
  return { status: c.lobby.state.status, round: c.lobby.state.round, unsaved: c.lobby.state.unsaved, phase: match?.phase, outcome: match?.outcome };
};

/** One line per round and room in the results, as the CSV groups them. */
async function recorded(c: Classroom): Promise<string[]> {
  const rows = await c.ctx.store.results(c.lobby.code);
  const rounds = new Map<string, number>();
  for (const r of rows) rounds.set(`match ${r.matchNumber} round ${r.roundIndex + 1} ${r.roomCode} ${r.outcome}`, (rounds.get(`match ${r.matchNumber} round ${r.roundIndex + 1} ${r.roomCode} ${r.outcome}`) ?? 0) + 1);
  return [...rounds].map(([round, seats]) => `${round} (${seats} rows)`);
}

/** A store whose round and status writes wait while `away` (as the journal waits for PostgreSQL). */
class DatabaseAway {
  away = false;
  private waiting: (() => void)[] = [];

  wrap(inner: Store): Store {
    const held = <T>(write: () => Promise<T>): Promise<T> => (this.away ? new Promise<void>((resolve) => this.waiting.push(resolve)).then(write) : write());
    return Object.assign(Object.create(inner) as Store, {
      recordRound: (r: RoundRecord): Promise<RecordedRound> => held(() => inner.recordRound(r)),
      setClassStatus: (code: string, status: ClassStatus): Promise<void> => held(() => inner.setClassStatus(code, status)),
    });
  }

  back(): void {
    this.away = false;
    for (const resume of this.waiting.splice(0)) resume();
  }
}

describe('a class lobby hearing from its rooms through failures', () => {
  it('records a round whose report arrives after the teacher moved on once, with its result; the match goes on', async () => {
    const { c } = await classOfSix();
    await c.teacher('startMatch', {});
    await c.runUntil('round 1 over', () => dashboard(c).phase === 'over');
    await c.runUntil('round 2 playing', () => c.lobby.state.round === 1 && room(c).session.state.phase === 'playing');
    const code = room(c).code;
    c.holdReports();
    await c.runUntil('round 2 over in the room', () => room(c).session.state.lastOutcome === 'eavesdropped' && room(c).session.state.phase === 'over');
    // The lobby has not heard: its dashboard still shows the round being played.
    expect(dashboard(c)).toMatchObject({ status: 'playing', round: 1, phase: 'playing' });
    // The teacher presses Next round: the lobby records round 2 as interrupted and starts round 3…
    expect(await c.teacher('nextRound', { round: 1, stop: true })).toBeNull();
    expect(dashboard(c)).toMatchObject({ round: 2, phase: 'playing' });
    // …and then the report arrives. Round 2 is one round, with its result.
    expect(c.deliverReports()).toEqual(['recorded']);
    await c.settle();
    expect(await recorded(c)).toEqual([`match 1 round 1 ${code} eavesdropped (6 rows)`, `match 1 round 2 ${code} eavesdropped (6 rows)`]);
    expect(dashboard(c)).toMatchObject({ status: 'playing', round: 2, phase: 'playing' });
    await c.runUntil('the match over', () => c.lobby.state.status === 'ended');
    expect(await recorded(c)).toEqual([
      `match 1 round 1 ${code} eavesdropped (6 rows)`,
      `match 1 round 2 ${code} eavesdropped (6 rows)`,
      `match 1 round 3 ${code} eavesdropped (6 rows)`,
      `match 1 round 4 ${code} eavesdropped (6 rows)`,
    ]);
  });

  it('takes a report delivered twice as one: one row, one countdown, one next round', async () => {
    const { c } = await classOfSix();
    await c.teacher('startMatch', {});
    c.holdReports();
    await c.runUntil('round 1 over in the room', () => room(c).session.state.phase === 'over' && room(c).session.state.lastOutcome !== '');
    expect(c.deliverReports(2)).toEqual(['recorded', 'recorded']);
    await c.settle();
    expect(dashboard(c)).toMatchObject({ status: 'playing', round: 0, phase: 'over', outcome: 'eavesdropped' });
    expect(c.lobby.state.nextRoundIn).toBe(15);
    await c.runUntil('round 2 playing', () => c.lobby.state.round === 1 && room(c).session.state.phase === 'playing');
    expect((await recorded(c)).filter((r) => r.includes('round 1'))).toEqual([`match 1 round 1 ${room(c).code} eavesdropped (6 rows)`]);
  });

  it('tells a room reporting for a match it does not run that the match is over', async () => {
    const { c } = await classOfSix();
    await c.teacher('startMatch', {});
    c.holdReports();
    await c.runUntil('round 1 over in the room', () => room(c).session.state.phase === 'over' && room(c).session.state.lastOutcome !== '');
    // The teacher ends the match before the report arrives (or the lobby was reopened and runs none).
    await c.teacher('endMatch', {});
    expect(c.deliverReports()).toEqual(['unknownMatch']);
    // The room recorded its round itself: it is there, once.
    expect((await recorded(c)).filter((r) => r.includes('round 1'))).toHaveLength(1);
  });

  it('while the database does not take results, counts them on the dashboard and does not say the match ended until they are written', async () => {
    const db = new DatabaseAway();
    const { c } = await classOfSix({ store: (s) => db.wrap(s) });
    await c.teacher('setLevels', { levels: [1] });
    await c.teacher('startMatch', {});
    expect(c.lobby.state.totalRounds).toBe(2);
    await c.runUntil('round 2 playing', () => c.lobby.state.round === 1 && room(c).session.state.phase === 'playing');
    db.away = true;
    await c.runUntil('round 2 over in the room', () => room(c).session.state.phase === 'over');
    // The last round is over; its result is not in the database.
    expect(dashboard(c)).toMatchObject({ status: 'playing', phase: 'over', unsaved: 0 });
    c.scheduler.advance(1_000);
    await c.settle();
    expect(dashboard(c)).toMatchObject({ status: 'playing', unsaved: 1 });
    c.scheduler.advance(60_000);
    await c.settle();
    expect(dashboard(c)).toMatchObject({ status: 'playing', unsaved: 1 });
    expect(await recorded(c)).toEqual([`match 1 round 1 ${room(c).code} eavesdropped (6 rows)`]);
    db.back();
    await c.runUntil('the match shown as ended', () => c.lobby.state.status === 'ended');
    expect(dashboard(c)).toMatchObject({ status: 'ended', unsaved: 0 });
    expect(await recorded(c)).toEqual([`match 1 round 1 ${room(c).code} eavesdropped (6 rows)`, `match 1 round 2 ${room(c).code} eavesdropped (6 rows)`]);
    expect(await c.ctx.store.getClass(c.lobby.code)).toMatchObject({ status: 'ended' });
  });
});
