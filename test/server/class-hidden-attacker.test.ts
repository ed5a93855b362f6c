/**
 * A hidden-attacker lesson, as a teacher runs one: twelve students in four teams, two rooms,
 * levels 1 and 4, the sides swapping every round. Each round each room has an attacker or none
 * (the teacher's dashboard is told which; nobody else is, until the room's result); the
 * defenders play carefully, an attacking team with an attacker plays the level's attack, and one
 * without calls what the defenders will do. Every room's outcome and points, and the leaderboard
 * at the end, are asserted exactly. Real ClassLobby and GameSessions on the drivable clock.
 */
import { describe, expect, it } from 'vitest';
import type { AttackerBehaviour, Outcome, Role } from '@heist/shared';
import { resultsCsv } from '../../server/src/class/csv.ts';
import { Classroom, type Student } from './support/classroom.ts';

const NAMES = ['Ada', 'Grace', 'Linus', 'Radia', 'Whit', 'Shafi', 'Barbara', 'Edsger', 'Frances', 'Donald', 'Margaret', 'Ken'];

/** What each room's round must come to, with or without an attacker, and every seat's points (written from docs/rules.md, not from the code). */
const EXPECTED: Record<1 | 4, { attack: AttackerBehaviour; present: Expected; absent: Expected }> = {
  // Level 1: the PIN crosses the Wi-Fi on a postcard. An attacker who listens proves it; without one the transfer goes through, unprotected.
  1: {
    attack: 'passive',
    present: { outcome: 'eavesdropped', points: { client: 0, server: 0, ca: 0, attacker: 5 } },
    absent: { outcome: 'unprotected', points: { client: 1, server: 1, ca: 0, attacker: 2 } },
  },
  // Level 4: her self-signed certificate fails the careful client's issuer check, so she scores nothing (a noticed attacker);
  // without her the session is secure. The CA scores 1 more for the bank's genuine request, the sitting-out team 2 for its right call.
  4: {
    attack: 'fakeCertificate',
    present: { outcome: 'attackDetected', points: { client: 4, server: 4, ca: 3, attacker: 0 } },
    absent: { outcome: 'secure', points: { client: 3, server: 3, ca: 3, attacker: 2 } },
  },
};
interface Expected {
  outcome: Outcome;
  points: Record<Role, number>;
}

async function classOfTwelve(): Promise<{ c: Classroom; students: Student[]; teams: string[][] }> {
  const c = await Classroom.open();
  const students: Student[] = [];
  for (const n of NAMES) students.push(await c.join(n));
  const ids = students.map((s) => s.playerId);
  const teams = [ids.slice(0, 3), ids.slice(3, 6), ids.slice(6, 9), ids.slice(9)];
  expect(await c.teacher('formTeams', { teams })).toBeNull();
  expect(await c.teacher('setLevels', { levels: [1, 4] })).toBeNull();
  return { c, students, teams };
}

describe('a hidden-attacker lesson', () => {
  it('plays round after round with an attacker in some rooms and none in others, told only to the teacher until each result, and scores every room exactly', async () => {
    const { c, students } = await classOfTwelve();
    expect(await c.teacher('startMatch', { hiddenAttacker: true })).toBeNull();
    expect(c.lobby.state.hiddenAttacker).toBe(true);
    expect(c.lobby.state.totalRounds).toBe(4);
    const rooms = () => [...c.rooms.values()];
    expect(rooms()).toHaveLength(2);

    const teamPoints = new Map<string, number>();
    const credit = (team: string, points: number) => teamPoints.set(team, (teamPoints.get(team) ?? 0) + points);
    const kinds = new Set<boolean>();
    for (let round = 0; round < 4; round++) {
      const level = ([1, 1, 4, 4] as const)[round]!;
      await c.runUntil(`round ${round + 1}`, () => c.lobby.state.round === round && rooms().every((r) => r.session.state.phase === 'playing'));
      for (const s of students) s.behaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: EXPECTED[level].attack };

      // The teacher's dashboard knows which rooms have an attacker; every room is on the list.
      const truth = c.hiddenAttackers.filter((m) => m.round === round).at(-1)!;
      expect(truth.rooms.map((r) => r.roomCode).sort()).toEqual(rooms().map((r) => r.code).sort());
      const present = new Map(truth.rooms.map((r) => [r.roomCode, r.attacker]));
      for (const r of truth.rooms) kinds.add(r.attacker);

      // While the round is played, nothing anyone else sees says which: every room's attacker seat looks the same, students hear nothing.
      for (const room of rooms()) {
        const seat = room.session.state.seats.get('attacker')!;
        expect({ bot: seat.bot, behaviour: seat.behaviour }, `room ${room.code}'s attacker seat`).toEqual({ bot: false, behaviour: '' });
        expect([...room.session.state.members.values()].filter((m) => m.role === 'attacker')).toHaveLength(3);
        expect(c.lobby.state.matches.get(room.code)!.attacker).toBe('');
      }
      for (const s of students) expect(s.lobbyMessages).not.toContain('hiddenAttackers');
      // The seat with no attack in its room is told so, and only that seat.
      for (const s of students) {
        await c.runUntil(`${s.nickname}'s view`, () => s.view?.role === s.seat);
        const view = s.view!;
        const sittingOut = view.role === 'attacker' && view.sittingOut !== undefined;
        expect(sittingOut, `${s.nickname} (${s.seat}) in room ${s.room!.code}`).toBe(s.seat === 'attacker' && !present.get(s.room!.code));
        expect(view.hiddenAttacker).toBe(true);
      }

      await c.runUntil(`round ${round + 1} to end`, () => rooms().every((r) => r.session.state.phase === 'over'));
      for (const room of rooms()) {
        const attacker = present.get(room.code)!;
        const expected = EXPECTED[level][attacker ? 'present' : 'absent'];
        const result = room.session.currentRound!.result!;
        expect({ outcome: result.outcome, points: result.points }, `round ${round + 1}, room ${room.code} (${attacker ? 'an attacker' : 'no attacker'})`).toEqual(expected);
        expect(result.hiddenAttacker?.present).toBe(attacker);
        if (!attacker) expect(result.hiddenAttacker?.call).toEqual({ verdict: 'complete', right: true });
        // The truth comes out with the result, for the projector too.
        const match = c.lobby.state.matches.get(room.code)!;
        expect(match.attacker).toBe(attacker ? 'present' : 'absent');
        credit(match.defending, expected.points.client + expected.points.server + expected.points.ca);
        credit(match.attacking, expected.points.attacker);
      }
    }
    expect(kinds, 'the match had rooms with an attacker and rooms without').toEqual(new Set([true, false]));
    await c.runUntil('the match to end', () => c.lobby.state.status === 'ended');
    await c.lobby.settled();

    // The leaderboard is the sum of the rounds' seat points, by team.
    const standings = await c.ctx.store.teamStandings(c.lobby.code);
    expect(new Map(standings.map((s) => [s.id, s.points]))).toEqual(teamPoints);
    for (const team of c.lobby.state.teams.values()) expect(team.points, team.name).toBe(teamPoints.get(team.id));

    // The CSV says, round by round, whether the room had an attacker.
    const rows = await c.ctx.store.results(c.lobby.code);
    const csv = resultsCsv(rows).trim().split('\r\n');
    const column = csv[0]!.split(',').indexOf('attacker');
    expect(column).toBe(12);
    const byRound = new Map<string, string>();
    for (const line of csv.slice(1)) {
      const cells = line.split(',');
      byRound.set(`${cells[0]} ${cells[2]}`, cells[column]!);
    }
    const truthByRound = c.hiddenAttackers.flatMap((m) => m.rooms.map((r) => [`${m.round + 1} "${r.roomCode}"`, r.attacker ? 'present' : 'absent'] as const));
    expect(byRound).toEqual(new Map(truthByRound));
    expect(c.scheduler.errors).toEqual([]);
  });
});
