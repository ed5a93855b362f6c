/**
 * The edges of a class round that stalled real lessons (issue 17, "A lesson in six browsers"),
 * on the drivable clock with the server's default timing: a student who closed her tab is not
 * dealt a seat (nobody doubles up for her, nobody waits for her) until she is back; the
 * teacher's Next never stops a round it did not mean to, and a result stays on screen long
 * enough to be read; an attacker who turned intercept on and left does not freeze the room.
 * Real ClassLobby and GameSessions (test/server/support/classroom.ts), no sockets.
 */
import { describe, expect, it } from 'vitest';
import type { AttackerView, ClientView, Role } from '@heist/shared';
import { resultsCsv } from '../../server/src/class/csv.ts';
import { DEFAULT_TIMING } from '../../server/src/config.ts';
import { Classroom, type Student } from './support/classroom.ts';

function room(c: Classroom) {
  const [only] = [...c.rooms.values()];
  if (!only) throw new Error('no room open');
  return only;
}

async function classOf(teams: string[][], levels: (1 | 4)[]): Promise<{ c: Classroom; students: Student[][] }> {
  const c = await Classroom.open();
  const students: Student[][] = [];
  for (const names of teams) {
    const team: Student[] = [];
    for (const n of names) team.push(await c.join(n));
    students.push(team);
  }
  expect(await c.teacher('formTeams', { teams: students.map((t) => t.map((s) => s.playerId)) })).toBeNull();
  expect(await c.teacher('setLevels', { levels })).toBeNull();
  for (const s of students.flat()) s.behaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' };
  return { c, students };
}

const seats = (team: Student[]) => Object.fromEntries(team.map((s) => [s.nickname, s.seat]));

describe('a student who closed her tab is not dealt a seat until she is back', () => {
  it('nobody doubles up for him, no bot plays a seat in his name, the round does not wait for him; back, he is dealt again', async () => {
    // Two teams of four: a defending team of four has one seat shared by two.
    const { c, students } = await classOf([['Ada', 'Grace', 'Linus', 'Radia'], ['Whit', 'Shafi', 'Hedy', 'Alan']], [1, 4]);
    const [red, blue] = students as [Student[], Student[]];
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    expect(seats(red)).toEqual({ Ada: 'client', Grace: 'server', Linus: 'ca', Radia: 'client' });

    // Linus (the CA) closes his tab mid-round and does not come back.
    const linus = red[2]!;
    linus.closeTab();
    await c.runUntil('round 1 result', () => room(c).session.state.phase === 'over');
    await c.runUntil('round 2', () => c.lobby.state.round === 1 && room(c).session.state.phase === 'playing');
    // Round 2: Red attacks — the three of Red who are here share the attacker seat; Linus has none.
    expect(c.lobby.state.students.get(linus.playerId)!.role).toBe('');
    expect(seats(red)).toEqual({ Ada: 'attacker', Grace: 'attacker', Linus: '', Radia: 'attacker' });
    await c.runUntil('round 2 result', () => room(c).session.state.phase === 'over');

    // Round 3: Red defends again, three of them for three seats: nobody doubles up, no bot plays a seat.
    const announced = c.lobby.state.students.get(linus.playerId)!.nextRole;
    expect(announced, 'no next seat announced for a student who is away').toBe('');
    await c.runUntil('round 3', () => c.lobby.state.round === 2 && room(c).session.state.phase !== 'lobby');
    const seatedAt = c.scheduler.now();
    await c.runUntil('round 3 plays', () => room(c).session.currentRound?.phase !== undefined && room(c).session.state.phase === 'playing');
    expect(c.scheduler.now() - seatedAt, 'the round did not wait its seating allowance for her').toBeLessThan(DEFAULT_TIMING.seatingGraceMs);
    const round3 = seats(red);
    expect(round3.Linus).toBe('');
    expect(new Set([round3.Ada, round3.Grace, round3.Radia])).toEqual(new Set(['client', 'server', 'ca']));
    for (const role of ['client', 'server', 'ca'] as Role[]) expect(room(c).session.state.seats.get(role)!.bot, `${role} played by a student`).toBe(false);
    await c.runUntil('round 3 result', () => room(c).session.state.phase === 'over');

    // The results never list him in a round he was away for.
    const rows = await c.ctx.store.results(c.lobby.code);
    expect(rows.filter((r) => r.player === 'Linus' && r.roundIndex > 0)).toEqual([]);

    // He comes back: dealt again from the next round on.
    await linus.comeBack();
    await c.runUntil('round 4', () => c.lobby.state.round === 3 && room(c).session.state.phase === 'playing');
    expect(linus.seat).toBe('attacker');
    expect(blue.every((s) => s.seat !== 'attacker')).toBe(true);
    expect(c.scheduler.errors).toEqual([]);
  });

  it('a student reloading as the round is dealt keeps her seat (the reconnect allowance)', async () => {
    const { c, students } = await classOf([['Ada', 'Grace', 'Linus'], ['Whit', 'Shafi', 'Hedy']], [1]);
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('round 1 result', () => room(c).session.state.phase === 'over');
    // Whit's page drops as the break ends; the lobby deals round 2 while she is reconnecting.
    const whit = students[1]![0]!;
    c.lobby.setConnected(whit.playerId, false);
    await c.runUntil('round 2', () => c.lobby.state.round === 1);
    expect(c.lobby.state.students.get(whit.playerId)!.role).toBe('client');
  });
});

describe('the teacher’s Next never changes meaning under the cursor', () => {
  it('a "Start the next round now" overtaken by the automatic advance stops nothing', async () => {
    const { c } = await classOf([['Ada', 'Grace', 'Linus'], ['Whit', 'Shafi', 'Hedy']], [1]);
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('round 1 result', () => room(c).session.state.phase === 'over');
    await c.runUntil('the automatic advance', () => c.lobby.state.round === 1 && room(c).session.state.phase === 'playing');
    c.scheduler.advance(3_000);
    // The click on "Start the next round now" (the break after round 1) arrives late.
    expect(await c.teacher('nextRound', { round: 0, stop: false })).toEqual({ code: 'wrongPhase', message: 'Round 2 has already started: your click came too late to change anything.', type: 'nextRound' });
    expect(room(c).session.state.phase).toBe('playing');
    await c.runUntil('round 2 result', () => room(c).session.state.phase === 'over');
    expect(room(c).session.state.lastOutcome).toBe('eavesdropped');
    expect((await c.ctx.store.results(c.lobby.code)).some((r) => r.outcome === 'interrupted')).toBe(false);
  });

  it('"Start the next round now" is refused while the round is still being played (only "Stop this round" stops one)', async () => {
    const { c } = await classOf([['Ada', 'Grace', 'Linus'], ['Whit', 'Shafi', 'Hedy']], [1]);
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    expect((await c.teacher('nextRound', { round: 0, stop: false }))?.message).toBe('Round 1 is still being played: stop it first if you want to move on.');
    expect(room(c).session.state.phase).toBe('playing');
    expect(c.lobby.state.round).toBe(0);
  });

  it('pressed right at a result, the next round waits until the result has been on screen long enough to read', async () => {
    const { c, students } = await classOf([['Ada', 'Grace', 'Linus'], ['Whit', 'Shafi', 'Hedy']], [1]);
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('round 1 result', () => room(c).session.state.phase === 'over');
    const resultAt = c.scheduler.now();
    c.scheduler.advance(300);
    // The teacher's "Stop this round" click crosses the result (0.3 s after it).
    expect(await c.teacher('nextRound', { round: 0, stop: true })).toBeNull();
    expect(c.lobby.state.round).toBe(0);
    expect(c.lobby.state.nextRoundIn).toBe(Math.ceil((DEFAULT_TIMING.resultMinMs - 300) / 1000));
    for (const s of students.flat()) expect(s.view?.result?.outcome, `${s.nickname} sees the result`).toBe('eavesdropped');
    await c.runUntil('round 2', () => c.lobby.state.round === 1);
    expect(c.scheduler.now() - resultAt).toBeGreaterThanOrEqual(DEFAULT_TIMING.resultMinMs);
    expect(c.scheduler.now() - resultAt).toBeLessThan(DEFAULT_TIMING.resultMinMs + 1_000);
  });

  it('a long-read result: Next starts the next round at once', async () => {
    const { c } = await classOf([['Ada', 'Grace', 'Linus'], ['Whit', 'Shafi', 'Hedy']], [1]);
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('round 1 result', () => room(c).session.state.phase === 'over');
    expect(await c.teacher('holdAdvance', { hold: true })).toBeNull();
    c.scheduler.advance(DEFAULT_TIMING.resultMinMs);
    expect(await c.teacher('nextRound', { round: 0, stop: false })).toBeNull();
    expect(c.lobby.state.round).toBe(1);
  });
});

describe('students sharing a seat press Ready together', () => {
  it('the second press finds the seat ready already (or play begun) and is no error: nobody is told off for being a moment late', async () => {
    const { c, students } = await classOf([['Ada', 'Grace', 'Linus'], ['Whit', 'Radia', 'Shafi']], [1]);
    const blue = students[1]!;
    for (const s of blue) s.active = false;
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    const { session } = room(c);
    const [whit, radia] = blue as [Student, Student];
    expect(session.currentRound!.phase).toBe('preparing');
    expect(session.act(whit.sessionId, { type: 'ready' })).toBeNull();
    expect(session.act(radia.sessionId, { type: 'ready' })).toBeNull();
    expect(session.currentRound!.ready.has('attacker')).toBe(true);
    // A press after play began, another tab's say: still nothing to complain about.
    await c.runUntil('play', () => session.currentRound!.phase === 'playing');
    expect(session.act(radia.sessionId, { type: 'ready' })).toBeNull();
    // Other refusals stay refusals.
    expect(session.act(radia.sessionId, { type: 'done' })?.code).toBe('wrongPhase');
  });
});

describe('an attacker who turned intercept on and left does not freeze the room', () => {
  /** Level 4; Red defends (played by the scripted students), Blue attacks by hand. */
  async function interceptThenLeave(attackers: string[]) {
    const { c, students } = await classOf([['Ada', 'Grace', 'Linus'], attackers], [4]);
    const blue = students[1]!;
    for (const s of blue) s.active = false;
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    const [mallory] = blue as [Student];
    const { session } = room(c);
    expect(session.act(mallory.sessionId, { type: 'setIntercept', on: true })).toBeNull();
    expect(session.act(mallory.sessionId, { type: 'ready' })).toBeNull();
    // Alice connects once the bank has its certificate: her first packet stops at the tap.
    await c.runUntil('a held packet', () => (session.currentRound?.attacker.held.length ?? 0) > 0);
    const started = c.scheduler.now();
    mallory.closeTab();
    return { c, blue, session, started };
  }

  it('alone at the seat: after a short allowance her proxy lets go, and the round ends as the defenders play it', async () => {
    const { c, session, started } = await interceptThenLeave(['Mallory']);
    c.scheduler.advance(DEFAULT_TIMING.unattendedSeatMs - 100);
    expect(session.currentRound!.attacker.held.length, 'a reload comes back sooner: nothing let go yet').toBeGreaterThan(0);
    await c.runUntil('the result', () => session.state.phase === 'over', 60_000);
    expect(session.state.lastOutcome).toBe('secure');
    expect(c.scheduler.now() - started).toBeLessThan(30_000);
    const line = session.currentRound!.timeline.find((e) => /Nobody is at Mallory's proxy/.test(e.text));
    expect(line?.text).toMatch(/^Nobody is at Mallory's proxy any more: intercept is off, and packet #\d+ goes on its way\.$/);
    expect(line?.visibleTo).toEqual(['attacker']);
  });

  it('with a teammate still at the shared seat, nothing is let go: she sees the held packet and forwards it', async () => {
    const { c, blue, session } = await interceptThenLeave(['Mallory', 'Eve']);
    const eve = blue[1]!;
    c.scheduler.advance(60_000);
    const view = eve.view as AttackerView;
    expect(view.held.length, 'still held for Eve to decide').toBeGreaterThan(0);
    expect(view.intercept).toBe(true);
    expect(session.act(eve.sessionId, { type: 'setIntercept', on: false })).toBeNull();
    expect(session.act(eve.sessionId, { type: 'forwardAll' })).toBeNull();
    await c.runUntil('the result', () => session.state.phase === 'over', 60_000);
    expect(session.state.lastOutcome).toBe('secure');
  });

  it('a bot taking the seat over mid-round (she left for good) starts from a proxy that lets everything through', async () => {
    const { c, blue, session } = await interceptThenLeave(['Mallory']);
    // Her seat is let go at once, as when she presses Leave.
    session.removeMember(blue[0]!.sessionId);
    expect(session.state.seats.get('attacker')!.bot).toBe(true);
    expect(session.currentRound!.attacker.held).toEqual([]);
    expect(session.currentRound!.attacker.intercept).toBe(false);
    await c.runUntil('the result', () => session.state.phase === 'over', 60_000);
    expect(session.state.lastOutcome).not.toBe('timedOut');
  });
});

describe('stripping can work in class: the client seat’s browser varies, and the client is told which it is', () => {
  it('a returning visitor (HSTS) in round 1, a first visit in round 2: sslstrip fails on the first, reads the PIN on the second', async () => {
    const { c, students } = await classOf([['Ada', 'Grace', 'Linus'], ['Whit', 'Shafi', 'Hedy']], [4]);
    for (const s of students.flat()) s.behaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'strip' };
    expect(await c.teacher('startMatch', {})).toBeNull();
    const outcomes: string[] = [];
    const browsers: unknown[] = [];
    for (const index of [0, 1]) {
      await c.runUntil(`round ${index + 1}`, () => c.lobby.state.round === index && room(c).session.state.phase === 'playing');
      const client = students.flat().find((s) => s.seat === 'client')!;
      await c.runUntil('the client’s view', () => client.view?.role === 'client', 5_000);
      browsers.push((client.view as ClientView).browser);
      await c.runUntil(`round ${index + 1} result`, () => room(c).session.state.phase === 'over');
      outcomes.push(room(c).session.state.lastOutcome);
    }
    expect(browsers).toEqual([{ hsts: true }, { hsts: false }]);
    expect(outcomes).toEqual(['secure', 'eavesdropped']);
  });
});

describe('the CSV and the leaderboard agree', () => {
  it('summing the CSV’s team_points by team gives the leaderboard; a shared seat’s points go to each of its students, once to the team', async () => {
    const { c } = await classOf([['Ada', 'Grace', 'Linus'], ['Whit', 'Shafi', 'Hedy']], [1]);
    expect(await c.teacher('startMatch', {})).toBeNull();
    await c.runUntil('the match', () => c.lobby.state.status === 'ended');
    await c.settle();
    const rows = resultsCsv(await c.ctx.store.results(c.lobby.code)).trim().split('\r\n').slice(1).map((line) => line.split(','));
    const fromCsv = new Map<string, number>();
    for (const r of rows) fromCsv.set(r[6]!, (fromCsv.get(r[6]!) ?? 0) + Number(r[10]));
    const board = new Map([...c.lobby.state.teams.values()].map((t) => [`"${t.name}"`, t.points]));
    expect(fromCsv).toEqual(board);
    // The attackers shared one seat: each row carries its points, only the first counts for the team.
    const attackers = rows.filter((r) => r[0] === '1' && r[4] === '"attacker"');
    expect(attackers.map((r) => r[9])).toEqual(['3', '3', '3']);
    const seatPoints = attackers[0]![7]!;
    expect(Number(seatPoints), 'level 1, eavesdropped: the attackers scored').toBeGreaterThan(0);
    expect(attackers.map((r) => [r[7], r[10]])).toEqual([[seatPoints, seatPoints], [seatPoints, '0'], [seatPoints, '0']]);
  });
});
