/**
 * A whole lesson, as a teacher runs one: six students in two teams play round after round with
 * the sides swapped, the rounds advance by themselves after the debrief countdown, and the
 * teacher presses Next round, Pause, Resume, Hold and End match at awkward moments. Students
 * reload, rejoin and arrive late. Real ClassLobby and GameSessions, on a drivable clock (no
 * sockets, no sleeping), with the server's default timing.
 */
import { describe, expect, it } from 'vitest';
import type { AttackerBehaviour, Level, Outcome, Role } from '@heist/shared';
import { Classroom, type Student } from './support/classroom.ts';

const NAMES = ['Ada', 'Grace', 'Linus', 'Radia', 'Whit', 'Shafi'];
/** The attack each level's round is about, and what it must lead to against careful defenders. */
const PLAYS: Record<number, { attack: AttackerBehaviour; outcome: Outcome }> = {
  1: { attack: 'passive', outcome: 'eavesdropped' },
  3: { attack: 'keySubstitution', outcome: 'impersonated' },
  4: { attack: 'fakeCertificate', outcome: 'attackDetected' },
};

async function classOfSix(levels: Level[], timing = {}): Promise<{ c: Classroom; students: Student[] }> {
  const c = await Classroom.open(timing);
  const students: Student[] = [];
  for (const n of NAMES) students.push(await c.join(n));
  const ids = students.map((s) => s.playerId);
  expect(await c.teacher('formTeams', { teams: [ids.slice(0, 3), ids.slice(3)] })).toBeNull();
  expect(await c.teacher('setLevels', { levels })).toBeNull();
  return { c, students };
}

/** Each student plays their seat as the round's level asks: careful defenders, the level's attack. */
function playAs(students: Student[], level: number): void {
  for (const s of students) s.behaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: PLAYS[level]!.attack };
}

function room(c: Classroom) {
  const [only] = [...c.rooms.values()];
  if (!only) throw new Error('no room open');
  return only;
}

/** Waits for round `index` of the match to be played to its result in the room; returns the outcome. */
async function playRound(c: Classroom, students: Student[], index: number): Promise<string> {
  await c.runUntil(`round ${index + 1} to start`, () => c.lobby.state.round === index && room(c).session.state.phase === 'playing');
  const level = c.lobby.state.matches.values().next().value!.level;
  playAs(students, level);
  await c.runUntil(`round ${index + 1} to end`, () => room(c).session.state.phase === 'over');
  return room(c).session.state.lastOutcome;
}

function seatsOf(students: Student[]): Record<string, string> {
  return Object.fromEntries(students.map((s) => [s.nickname, s.seat]));
}

describe('a lesson: class play round after round', () => {
  it('plays every round to the outcome the students’ moves cause, the sides swapping, the rounds advancing by themselves', async () => {
    const { c, students } = await classOfSix([1, 4]);
    expect(await c.teacher('startMatch', {})).toBeNull();
    expect(c.lobby.state.totalRounds).toBe(4);

    const outcomes: string[] = [];
    const seatings: Record<string, string>[] = [];
    for (let round = 0; round < 4; round++) {
      await c.runUntil(`round ${round + 1}`, () => c.lobby.state.round === round && room(c).session.state.phase === 'playing');
      // Every student has a seat and this round's view of it (round 2 on used to show nothing).
      seatings.push(seatsOf(students));
      for (const s of students) {
        expect(s.seat, `${s.nickname} seated in round ${round + 1}`).not.toBe('');
        await c.runUntil(`${s.nickname}'s view`, () => s.view?.role === s.seat, 5_000);
      }
      outcomes.push(await playRound(c, students, round));
      const level = [1, 1, 4, 4][round]!;
      expect(outcomes[round], `round ${round + 1} (level ${level})`).toBe(PLAYS[level]!.outcome);
      if (round < 3) {
        // The countdown to the next round, with each student's next seat.
        expect(c.lobby.state.nextRoundIn).toBeGreaterThan(0);
        for (const s of students) expect(c.lobby.state.students.get(s.playerId)!.nextRole).not.toBe('');
      }
    }
    expect(c.lobby.state.status).toBe('ended');

    // Sides swap: whoever attacked in round 1 defends in round 2, and the reverse.
    const attackers1 = students.filter((s) => seatings[0]![s.nickname] === 'attacker').map((s) => s.nickname);
    const attackers2 = students.filter((s) => seatings[1]![s.nickname] === 'attacker').map((s) => s.nickname);
    expect(attackers1).toHaveLength(3);
    expect(attackers2).toHaveLength(3);
    expect(attackers1.filter((n) => attackers2.includes(n))).toEqual([]);

    // The results hold every round, with every student in each.
    const rows = (await c.ctx.store.results(c.lobby.code));
    expect(new Set(rows.map((r) => r.roundIndex))).toEqual(new Set([0, 1, 2, 3]));
    for (let round = 0; round < 4; round++) {
      const players = rows.filter((r) => r.roundIndex === round).map((r) => r.player);
      for (const n of NAMES) expect(players, `round ${round + 1}`).toContain(n);
      expect(rows.find((r) => r.roundIndex === round)!.outcome).toBe(outcomes[round]);
    }
    expect(c.scheduler.errors).toEqual([]);
  });

  it('ignores a Next round pressed just after the automatic advance instead of ending the match', async () => {
    const { c, students } = await classOfSix([1, 4]);
    await c.teacher('startMatch', {});
    await playRound(c, students, 0);
    const seenRound = c.lobby.state.round; // what the teacher's dashboard showed
    await c.runUntil('the automatic advance', () => c.lobby.state.round === 1);
    const error = await c.teacher('nextRound', { round: seenRound, stop: false });
    expect(error?.code).toBe('wrongPhase');
    expect(c.lobby.state.status).toBe('playing');
    expect(c.lobby.state.round).toBe(1);
    expect(await playRound(c, students, 1)).toBe('eavesdropped');
  });

  it('lets the teacher hold the countdown for a debrief, then start the next round', async () => {
    const { c, students } = await classOfSix([1, 4]);
    await c.teacher('startMatch', {});
    await playRound(c, students, 0);
    expect(await c.teacher('holdAdvance', { hold: true })).toBeNull();
    c.scheduler.advance(60_000);
    expect(c.lobby.state.round).toBe(0);
    expect(c.lobby.state.holding).toBe(true);
    expect(await c.teacher('nextRound', { round: 0, stop: false })).toBeNull();
    expect(c.lobby.state.round).toBe(1);
    expect(c.lobby.state.holding, 'a hold is for one break only').toBe(false);
    expect(await playRound(c, students, 1)).toBe('eavesdropped');
    // The next break counts down again by itself.
    await c.runUntil('round 3', () => c.lobby.state.round === 2, 60_000);
  });

  it('pauses and resumes mid-round: nothing moves while paused, and the round still ends as played', async () => {
    const { c, students } = await classOfSix([4]);
    await c.teacher('startMatch', {});
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    playAs(students, 4);
    c.scheduler.advance(2_000);
    expect(await c.teacher('pause', {})).toBeNull();
    const round = room(c).session.currentRound!;
    const [packets, left] = [round.packets.length, room(c).session.state.secondsLeft];
    c.scheduler.advance(120_000);
    expect(round.packets.length, 'no packet sent while paused').toBe(packets);
    expect(room(c).session.state.secondsLeft).toBe(left);
    expect(await c.teacher('resume', {})).toBeNull();
    await c.runUntil('the result', () => room(c).session.state.phase === 'over');
    expect(room(c).session.state.lastOutcome).toBe('attackDetected');
  });

  it('moves on mid-round with Next round: the stopped round is recorded as interrupted, the next one plays', async () => {
    const { c, students } = await classOfSix([1, 4]);
    await c.teacher('startMatch', {});
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    c.scheduler.advance(1_000);
    expect(await c.teacher('nextRound', { round: 0, stop: true })).toBeNull();
    expect(c.lobby.state.round).toBe(1);
    expect(room(c).session.state.notice).toMatch(/moved on to round 2/);
    expect(await playRound(c, students, 1)).toBe('eavesdropped');
    const rows = (await c.ctx.store.results(c.lobby.code));
    expect(rows.filter((r) => r.roundIndex === 0).map((r) => r.outcome)).toContain('interrupted');
    expect(rows.filter((r) => r.roundIndex === 0).every((r) => r.points === 0)).toBe(true);
  });

  it('ends the match mid-round: the round stops, the room closes and its students are told', async () => {
    const { c, students } = await classOfSix([1, 4]);
    await c.teacher('startMatch', {});
    await playRound(c, students, 0);
    await c.runUntil('round 2', () => c.lobby.state.round === 1 && room(c).session.state.phase === 'playing');
    c.scheduler.advance(1_000);
    expect(await c.teacher('endMatch', {})).toBeNull();
    expect(c.lobby.state.status).toBe('ended');
    expect(c.rooms.size).toBe(0);
    for (const s of students) expect(s.closedWith).toBe('The teacher ended the match.');
    const outcomes = (await c.ctx.store.results(c.lobby.code)).map((r) => [r.roundIndex, r.outcome]);
    expect(new Set(outcomes.map(([i, o]) => `${i}:${o}`))).toEqual(new Set(['0:eavesdropped', '1:interrupted']));
    c.scheduler.advance(600_000);
    expect(c.scheduler.pending.filter((p) => !p.includes('thinks'))).toEqual([]);
  });

  it('gives a student who reloads, or rejoins from a new connection, the same seat; the old connection is closed', async () => {
    const { c, students } = await classOfSix([4]);
    await c.teacher('startMatch', {});
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    playAs(students, 4);
    const [ada, grace] = [students[0]!, students[1]!];
    const seat = ada.seat;
    ada.reload();
    expect(ada.seat).toBe(seat);
    const oldSession = ada.sessionId;
    await ada.enter(ada.room!.code); // a second tab, or leave and join again
    expect(ada.sessionId).not.toBe(oldSession);
    expect(ada.seat).toBe(seat);
    expect(room(c).session.isMember(oldSession)).toBe(false);
    expect([...room(c).session.state.members.values()].filter((m) => m.nickname === 'Ada')).toHaveLength(1);
    expect(grace.seat).not.toBe('');
    await c.runUntil('the result', () => room(c).session.state.phase === 'over');
    expect(room(c).session.state.lastOutcome).toBe('attackDetected');
  });

  it('keeps a late arrival out of this round (no second seat for a second nickname) until the teacher places them', async () => {
    const { c, students } = await classOfSix([1, 4]);
    await c.teacher('startMatch', {});
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    const late = await c.join('Ada2');
    expect(c.lobby.state.students.get(late.playerId)!.team).toBe('');
    expect(late.room).toBeUndefined();
    // The teacher puts the newcomer in the first team: they play from the next round.
    const teams = [...c.lobby.state.teams.values()].map((t) => [...t.members]);
    teams[0]!.push(late.playerId);
    expect(await c.teacher('formTeams', { teams })).toBeNull();
    expect(late.room).toBeUndefined();
    await playRound(c, students, 0);
    await c.runUntil('round 2', () => c.lobby.state.round === 1 && room(c).session.state.phase === 'playing');
    expect(late.seat).not.toBe('');
    // The number of teams is fixed while the match runs.
    expect((await c.teacher('formTeams', { teams: [...teams, []] }))?.code).toBe('wrongPhase');
  });

  it('counts only the seats students played in team points, not those a bot filled', async () => {
    const c = await Classroom.open();
    const [solo, partner] = [await c.join('Solo'), await c.join('Partner')];
    await c.teacher('formTeams', { teams: [[solo.playerId], [partner.playerId]] });
    await c.teacher('setLevels', { levels: [1] });
    await c.teacher('startMatch', {});
    // Round 1: Solo defends alone (client), bots play the bank and the CA; Partner attacks.
    await c.runUntil('round 1', () => room(c).session.state.phase === 'playing');
    for (const s of [solo, partner]) s.behaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' };
    await c.runUntil('result', () => room(c).session.state.phase === 'over');
    const outcome = room(c).session.state.lastOutcome;
    const seatPoints = room(c).session.state.seats;
    const soloTeam = c.lobby.state.students.get(solo.playerId)!.team;
    const solosSeat = solo.seat as Role;
    const humanPoints = seatPoints.get(solosSeat)!.points;
    expect(outcome).not.toBe('timedOut');
    expect(c.lobby.state.teams.get(soloTeam)!.points).toBe(humanPoints);
    const botPoints = seatPoints.get('server')!.points + seatPoints.get('ca')!.points;
    expect(botPoints, 'the bots did score this round').not.toBe(0);
  });

  it('goes on when the process running a room dies mid-round: the round is recorded as interrupted, the next one plays in a new room', async () => {
    const { c, students } = await classOfSix([1, 4]);
    await c.teacher('startMatch', {});
    expect(await playRound(c, students, 0)).toBe('eavesdropped');
    await c.runUntil('round 2', () => c.lobby.state.round === 1 && room(c).session.state.phase === 'playing');
    c.scheduler.advance(1_000);
    const lost = room(c).code;
    await c.crash(lost);
    await c.settle();
    // The teacher's dashboard says what happened, under the new room's code.
    const match = [...c.lobby.state.matches.values()];
    expect(match).toHaveLength(1);
    expect(match[0]!.roomCode).not.toBe(lost);
    expect(match[0]).toMatchObject({ phase: 'interrupted', outcome: 'interrupted' });
    expect(match[0]!.summary).toMatch(/server running this room stopped/);
    expect(c.teacherMessages.at(-1)!.roomCode).toBe(match[0]!.roomCode);
    // The countdown runs as after any round; the next round opens in the new room and the students follow.
    expect(c.lobby.state.nextRoundIn).toBeGreaterThan(0);
    expect(await playRound(c, students, 2)).toBe('attackDetected');
    for (const s of students) {
      expect(s.room?.code, s.nickname).toBe(match[0]!.roomCode);
      expect(s.assignments.at(-1)!.roomCode).toBe(match[0]!.roomCode);
    }
    const rows = await c.ctx.store.results(c.lobby.code);
    expect([...new Set(rows.map((r) => `${r.roundIndex}:${r.roomCode === lost ? 'lost' : 'new'}:${r.outcome}`))]).toEqual(['0:lost:eavesdropped', '1:lost:interrupted', '2:new:attackDetected']);
    expect(rows.filter((r) => r.roundIndex === 1).every((r) => r.points === 0)).toBe(true);
    await c.runUntil('the last round', () => c.lobby.state.status === 'ended');
    expect(new Set((await c.ctx.store.results(c.lobby.code)).map((r) => r.roundIndex))).toEqual(new Set([0, 1, 2, 3]));
  });
});
