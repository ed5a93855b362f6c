/**
 * A class whose sequence switches on an event that is an attack of its own (a downgrade, bits
 * flipped in records without integrity, a copy of 0-RTT early data), where the other team's only
 * student closed her tab: when her team attacks, the attacker seat is the bot's, and it must play
 * the event's attack — or the round shows the class nothing of what the teacher picked on the
 * map. (When her team defends, bots defend and the three students attack as the event asks.)
 * Each round's outcome is the scenario matrix's cell for the event (expected-outcomes.ts) with
 * careful defenders. Two teams, one room; real ClassLobby and GameSessions on the drivable clock.
 */
import { describe, expect, it } from 'vitest';
import { botAttackFor, type Level, type LevelEvent, type Outcome } from '@heist/shared';
import { Classroom, type Student } from './support/classroom.ts';

const STEPS: { level: Level; event: LevelEvent; attack: string; outcome: Outcome }[] = [
  // The careful client's up-to-date browser sees the sentinel in the bank's TLS 1.2 random.
  { level: 5, event: 'versionDowngrade', attack: 'tamper', outcome: 'attackDetected' },
  // No tag: the flipped amount reaches the bank as Mallory wrote it.
  { level: 2, event: 'encryptionWithoutIntegrity', attack: 'tamper', outcome: 'tampered' },
  // The standard bank takes each ticket once: the copy of the first flight is refused.
  { level: 5, event: 'earlyDataReplay', attack: 'replay', outcome: 'attackDetected' },
];

describe('a class sequence with an attack event, its attacking student gone', () => {
  it('has the bot attacker play each step’s event, and each round ends as the matrix says', async () => {
    const c = await Classroom.open();
    const students: Student[] = [];
    for (const n of ['Ada', 'Grace', 'Linus']) students.push(await c.join(n));
    const radia = await c.join('Radia');
    expect(await c.teacher('formTeams', { teams: [students.map((s) => s.playerId), [radia.playerId]] })).toBeNull();
    radia.closeTab();
    expect(await c.teacher('setSequence', { steps: STEPS.map(({ level, event }) => ({ level, event })) })).toBeNull();
    expect(await c.teacher('startMatch', {})).toBeNull();
    const rounds = c.lobby.state.totalRounds;
    expect(rounds).toBeGreaterThanOrEqual(STEPS.length);
    const seen: { level: number; event: string; attack: string; outcome: string }[] = [];
    for (let round = 0; round < rounds; round++) {
      await c.runUntil(`round ${round + 1}`, () => c.lobby.state.round === round && [...c.rooms.values()][0]?.session.state.phase === 'playing');
      const room = [...c.rooms.values()][0]!;
      const step = STEPS[Math.floor(round / (rounds / STEPS.length))]!;
      for (const s of students) s.behaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: botAttackFor(step.level, step.event) };
      await c.runUntil(`round ${round + 1} to end`, () => room.session.state.phase === 'over');
      const played = room.session.currentRound!;
      const botAttacks = !students.some((s) => s.seat === 'attacker');
      seen.push({ level: played.config.level, event: played.config.event ?? '', attack: botAttacks ? played.config.bots.attacker : 'a student', outcome: played.result!.outcome });
    }
    await c.runUntil('the match to end', () => c.lobby.state.status === 'ended');
    // The teams take turns: Ada's team defends first, so the bot attacks in the first round of each step.
    const expected = STEPS.flatMap((s) => Array.from({ length: rounds / STEPS.length }, (_, i) => ({ level: s.level, event: s.event, attack: i % 2 === 0 ? s.attack : 'a student', outcome: s.outcome })));
    expect(seen).toEqual(expected);
    for (const s of STEPS) expect(botAttackFor(s.level, s.event)).toBe(s.attack);
    expect(c.scheduler.errors).toEqual([]);
  });
});
