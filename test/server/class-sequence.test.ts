/**
 * The teacher's map in class play: the teacher picks a sequence — level 6 with the look-alike
 * name, then level 4 with the rogue root — and starts the match. Every round is played by the
 * rooms with its step's event (the room's state, each student's view, the class state's room and
 * "up next"), its outcome is the scenario matrix's, and what each student's play showed reaches
 * the teacher's dashboard only, and the CSV. Six students in two teams, one room; real
 * ClassLobby and GameSessions on the drivable clock.
 */
import { describe, expect, it } from 'vitest';
import type { AttackerBehaviour, ClientBehaviour, LevelEvent, Outcome } from '@heist/shared';
import { resultsCsv } from '../../server/src/class/csv.ts';
import { Classroom, type Student } from './support/classroom.ts';

/** Each step's event, how the students play it, and what the round comes to (expected-outcomes.ts's cells for the event). */
const STEPS: { level: 7 | 4; event: LevelEvent; client: ClientBehaviour; attacker: AttackerBehaviour; outcome: Outcome }[] = [
  // Every check passes for the name Alice's link asked for, careful or not.
  { level: 7, event: 'lookalikeDomain', client: 'careful', attacker: 'passive', outcome: 'impersonated' },
  // A first-visit Alice installs the café's "certificate"; Mallory's certificate then passes every check.
  { level: 4, event: 'rogueRoot', client: 'careless', attacker: 'fakeCertificate', outcome: 'impersonated' },
];

function room(c: Classroom) {
  const [only] = [...c.rooms.values()];
  if (!only) throw new Error('no room open');
  return only;
}

describe('a match with a sequence picked on the teacher’s map', () => {
  it('plays each step’s event in every round of it, shows it up next, and tells the teacher alone what each student’s play showed', async () => {
    const c = await Classroom.open();
    const students: Student[] = [];
    for (const n of ['Ada', 'Grace', 'Linus', 'Radia', 'Whit', 'Shafi']) students.push(await c.join(n));
    const [ada, grace, linus, radia, whit, shafi] = students.map((s) => s.playerId) as [string, string, string, string, string, string];
    expect(await c.teacher('formTeams', { teams: [[ada, grace, linus], [radia, whit, shafi]] })).toBeNull();
    expect(await c.teacher('setSequence', { steps: STEPS.map(({ level, event }) => ({ level, event })) })).toBeNull();
    expect([...c.lobby.state.levels]).toEqual([7, 4]);
    expect([...c.lobby.state.events]).toEqual(['lookalikeDomain', 'rogueRoot']);
    // Stored: the class opened again has the same sequence.
    expect((await c.ctx.store.getClass(c.code))?.sequence).toEqual([
      { level: 7, event: 'lookalikeDomain' },
      { level: 4, event: 'rogueRoot' },
    ]);

    // Each student plays as the step asks from the moment its round starts (the portal asks Alice before anything else).
    const playStep = (step: (typeof STEPS)[number]) => {
    };
    playStep(STEPS[0]!);
    expect(await c.teacher('startMatch', {})).toBeNull();
    expect(c.lobby.state.totalRounds).toBe(4);
    const clients: string[] = [];
    for (let round = 0; round < 4; round++) {
      const step = STEPS[Math.floor(round / 2)]!;
      await c.runUntil(`round ${round + 1}`, () => c.lobby.state.round === round && room(c).session.state.phase === 'playing');
      for (const s of students) s.behaviours = { client: step.client, server: 'standard', ca: 'strict', attacker: step.attacker };
      expect(room(c).session.state.event).toBe(step.event);
      expect(c.lobby.state.matches.get(room(c).code)!.event).toBe(step.event);
      for (const s of students) {
        await c.runUntil(`${s.nickname}'s view`, () => s.view?.role === s.seat && s.view.level === step.level);
        expect(s.view!.event, `${s.nickname} in round ${round + 1}`).toBe(step.event);
      }
      clients.push(students.find((s) => s.seat === 'client')?.playerId ?? 'a bot');
      await c.runUntil(`round ${round + 1} to end`, () => room(c).session.state.phase === 'over');
      expect(room(c).session.currentRound!.result!.outcome, `round ${round + 1}`).toBe(step.outcome);
      if (round < 3) {
        // Up next: the next round's level and event, for the projector and the students.
        await c.runUntil(`round ${round + 2} announced`, () => c.lobby.state.nextLevel !== 0);
        const next = STEPS[Math.floor((round + 1) / 2)]!;
        playStep(next);
        expect({ level: c.lobby.state.nextLevel, event: c.lobby.state.nextEvent }).toEqual({ level: next.level, event: next.event });
      }
    }
    await c.runUntil('the match to end', () => c.lobby.state.status === 'ended');
    await c.lobby.settled();
    // Defenders move one seat on each defending turn: each team's first, then its third, was Alice.
    expect(clients).toEqual([ada, radia, linus, shafi]);

    // The teacher's dashboard: each Alice of the look-alike step accepted the name, each of the rogue-root step installed the café root; nobody else showed anything.
    expect(c.misconceptions.at(-1)).toEqual({
      students: [
        { playerId: ada, shown: [{ misconception: 'acceptedLookalikeName', rounds: 1 }] },
        { playerId: radia, shown: [{ misconception: 'acceptedLookalikeName', rounds: 1 }] },
        { playerId: linus, shown: [{ misconception: 'installedRogueRoot', rounds: 1 }] },
        { playerId: shafi, shown: [{ misconception: 'installedRogueRoot', rounds: 1 }] },
      ],
    });
    // Students never hear it (the projector reads only the class state, which does not carry it).
    for (const s of students) expect(s.lobbyMessages).not.toContain('misconceptions');
    expect(JSON.stringify(c.lobby.state.toJSON())).not.toMatch(/acceptedLookalikeName|installedRogueRoot|look-alike name/);

    // The CSV: each round's event, and each student's misconceptions in the teacher's words.
    const lines = resultsCsv(await c.ctx.store.results(c.code)).trim().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(-2)).toEqual(['event', 'misconceptions']);
    // No cell here holds a comma (names, titles and the teacher's words have none): split, then unquote.
    const rows = lines.slice(1).map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
    const shown = rows.filter((r) => r[header.indexOf('misconceptions')] !== '').map((r) => [r[0], r[header.indexOf('role')], r[header.indexOf('player')], r[header.indexOf('event')], r[header.indexOf('misconceptions')]]);
    expect(shown).toEqual([
      ['1', 'client', 'Ada', 'A look-alike name', 'accepted a look-alike name'],
      ['2', 'client', 'Radia', 'A look-alike name', 'accepted a look-alike name'],
      ['3', 'client', 'Linus', 'A rogue root', 'installed the café root'],
      ['4', 'client', 'Shafi', 'A rogue root', 'installed the café root'],
    ]);
    expect(new Set(rows.map((r) => `${r[0]} ${r[header.indexOf('event')]}`))).toEqual(new Set(['1 A look-alike name', '2 A look-alike name', '3 A rogue root', '4 A rogue root']));
    expect(c.scheduler.errors).toEqual([]);
  });
});
