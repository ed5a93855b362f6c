/** The class's pure parts, without a server: teams, pairings, seat plans, the sequence, CSV, the teacher's report, names, limits. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TEXTS, LIMITS, seededRng, type Misconception } from '@heist/shared';
import { ClassReport } from '../../server/src/class/classReport.ts';
import { csvCell, resultsCsv } from '../../server/src/class/csv.ts';
import { EVENT_SEATS, matchRounds, pairTeams, seatPlan } from '../../server/src/class/schedule.ts';
import { autoBalance, formTeams } from '../../server/src/class/teams.ts';
import { checkNickname, newCode, normaliseCode } from '../../server/src/validation/names.ts';
import { RateLimiter } from '../../server/src/validation/rateLimit.ts';
import { classMessageChecks } from '../../server/src/validation/messages.ts';

describe('teams', () => {
  it('auto-balance puts every student in exactly one team, sizes differing by at most one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { maxLength: 60 }), fc.integer({ min: 2, max: 16 }), fc.string(), (ids, n, seed) => {
        const rng = seededRng(seed);
        const teams = autoBalance('ABCDE', ids, n, (m) => rng.int(m));
        expect(teams).toHaveLength(n);
        expect(teams.flatMap((t) => t.playerIds).sort()).toEqual([...ids].sort());
        const sizes = teams.map((t) => t.playerIds.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('hand-formed teams must name known players', () => {
    expect(formTeams('ABCDE', [['a'], ['b']], new Set(['a', 'b']))).toEqual([
      { id: 'ABCDE-T1', name: 'Red', position: 0, playerIds: ['a'] },
      { id: 'ABCDE-T2', name: 'Blue', position: 1, playerIds: ['b'] },
    ]);
    expect(formTeams('ABCDE', [['a'], ['zz']], new Set(['a']))).toEqual({ error: expect.stringContaining('zz') });
  });
});

describe('match schedule', () => {
  it('pairs teams, the odd one out against bots', () => {
    expect(pairTeams(['A', 'B', 'C'])).toEqual([
      { teamA: 'A', teamB: 'B' },
      { teamA: 'C', teamB: null },
    ]);
  });

  it('plays each level from both sides, swapping every round', () => {
    expect(matchRounds([1, 4]).map((r) => [r.level, r.defending])).toEqual([
      [1, 'A'],
      [1, 'B'],
      [4, 'A'],
      [4, 'B'],
    ]);
  });

  it('over three defending turns, each defender of a team of three plays client, server and CA', () => {
    const defenders = ['x', 'y', 'z'];
    for (const id of defenders) {
      const roles = [0, 2, 4].map((round) => seatPlan(defenders, ['m'], round).get(id));
      expect(new Set(roles)).toEqual(new Set(['client', 'server', 'ca']));
    }
    expect(seatPlan(defenders, ['m', 'n'], 0).get('n')).toBe('attacker');
    // Two defenders: one seat is left for a bot.
    expect(new Set(seatPlan(['x', 'y'], [], 0).values()).size).toBe(2);
  });

  it('a team of two keeps a student in the seat the round’s event is about (Alice at the HSTS events), still taking turns', () => {
    const rounds = [0, 2, 4, 6, 8, 10];
    // Without an event the empty seat goes round: some defending turns leave Alice to a bot.
    expect(rounds.some((round) => ![...seatPlan(['x', 'y'], ['m'], round).values()].includes('client'))).toBe(true);
    for (const round of rounds) {
      const plan = seatPlan(['x', 'y'], ['m'], round, EVENT_SEATS.hstsReturningVisit);
      expect([...plan.values()], `round ${round + 1}`).toContain('client');
      expect(plan.get('m')).toBe('attacker');
    }
    expect(new Set(rounds.map((round) => seatPlan(['x', 'y'], [], round, 'client').get('x')))).toEqual(new Set(['client', 'server', 'ca']));
    // A team of one sits in it.
    expect(seatPlan(['x'], [], 2, 'ca').get('x')).toBe('ca');
  });
});

describe('the teacher’s Start match', () => {
  it('takes a hidden attacker, or nothing; anything else is refused in words', () => {
    const check = classMessageChecks.startMatch;
    expect(check(undefined)).toEqual({ ok: true, value: {} });
    expect(check({})).toEqual({ ok: true, value: {} });
    expect(check({ hiddenAttacker: true })).toEqual({ ok: true, value: { hiddenAttacker: true } });
    expect(check({ hiddenAttacker: false })).toEqual({ ok: true, value: { hiddenAttacker: false } });
    const refused = { ok: false, error: { code: 'invalid', type: 'startMatch', message: 'startMatch takes { hiddenAttacker: true | false }, or nothing (no hidden attacker).' } };
    expect(check({ hiddenAttacker: 'yes' })).toEqual(refused);
    expect(check({ hiddenAttacker: true, levels: [1] })).toEqual(refused);
    expect(check([true])).toEqual(refused);
  });
});

describe('the teacher’s sequence (the map)', () => {
  it('takes 1 to 10 steps, each a level and optionally an event that level offers; anything else is refused in words', () => {
    const check = classMessageChecks.setSequence;
    expect(check({ steps: [{ level: 1 }, { level: 7, event: 'lookalikeDomain' }, { level: 2, event: 'encryptionWithoutIntegrity' }] })).toEqual({
      ok: true,
      value: { steps: [{ level: 1 }, { level: 7, event: 'lookalikeDomain' }, { level: 2, event: 'encryptionWithoutIntegrity' }] },
    });
    // An event left out, or said as undefined, is none.
    expect(check({ steps: [{ level: 4, event: undefined }] })).toEqual({ ok: true, value: { steps: [{ level: 4 }] } });
    const shape = {
      ok: false,
      error: {
        code: 'invalid',
        type: 'setSequence',
        message: 'setSequence needs { steps: [{ level, event? }] }: 1 to 10 steps, each a level (1, 2, 3, 4, 6 (4e), 5, 7 (6)) and optionally an event (lookalikeDomain, expiredCertificate, rogueRoot, encryptionWithoutIntegrity, harvestNowDecryptLater, versionDowngrade, earlyDataReplay, hstsFirstVisit, hstsReturningVisit, hstsSubdomain, certificateTransparency, leakedKeyRevocation).',
      },
    };
    for (const bad of [undefined, {}, { steps: [] }, { steps: Array(11).fill({ level: 1 }) }, { steps: [{ level: 8 }] }, { steps: [{ level: 4, event: 'quantum' }] }, { steps: [{ level: 4, extra: 1 }] }, { steps: [4] }, { levels: [4] }])
      expect(check(bad), JSON.stringify(bad)).toEqual(shape);
    expect(check({ steps: [{ level: 1 }, { level: 3, event: 'rogueRoot' }] })).toEqual({
      ok: false,
      error: { code: 'invalid', type: 'setSequence', message: 'Round 2: “A rogue root” needs certificates: it can be switched on at levels 4, 4e, 5, 6, not at level 3.' },
    });
    expect(check({ steps: [{ level: 5, event: 'encryptionWithoutIntegrity' }] })).toEqual({
      ok: false,
      error: { code: 'invalid', type: 'setSequence', message: `Round 1: “Encryption without integrity” ${EVENT_TEXTS.encryptionWithoutIntegrity.needs}: it can be switched on at level 2, not at level 5.` },
    });
  });

  it('plays each step twice, sides swapped, with its event', () => {
    expect(matchRounds([{ level: 7, event: 'lookalikeDomain' }, { level: 1 }]).map((r) => [r.level, r.event, r.defending])).toEqual([
      [7, 'lookalikeDomain', 'A'],
      [7, 'lookalikeDomain', 'B'],
      [1, undefined, 'A'],
      [1, undefined, 'B'],
    ]);
  });
});

describe('CSV', () => {
  it('quotes text, doubles quotes, and defuses spreadsheet formulas', () => {
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe(`"'-1"`);
    expect(csvCell(7)).toBe('7');
    const csv = resultsCsv([
      // Recorded before matches were numbered: no match number.
      { roundId: 1, matchNumber: null, roundIndex: 0, level: 1, roomCode: 'OLDER', outcome: 'interrupted', role: 'ca', player: '(bot)', team: 'Red', points: 0, endedAt: 0, bot: 1, hiddenAttacker: null, event: null, misconceptions: null },
      { roundId: 2, matchNumber: 3, roundIndex: 0, level: 2, roomCode: 'ABCDE', outcome: 'secure', role: 'client', player: 'Zoë, "Z"', team: 'Red', points: 10, endedAt: 0, bot: 0, hiddenAttacker: null, event: null, misconceptions: null },
      // A hidden-attacker match: the room had no attacker, and the client aborted.
      { roundId: 3, matchNumber: 4, roundIndex: 1, level: 4, roomCode: 'FGHJK', outcome: 'falseAlarm', role: 'client', player: 'Ada', team: 'Blue', points: -1, endedAt: 0, bot: 0, hiddenAttacker: 'absent', event: null, misconceptions: 'abortedCleanSession' },
      // The teacher's sequence: level 6 with the look-alike name; what each student's play showed, in the teacher's words.
      { roundId: 4, matchNumber: 4, roundIndex: 2, level: 7, roomCode: 'FGHJK', outcome: 'impersonated', role: 'client', player: 'Ada', team: 'Blue', points: -3, endedAt: 0, bot: 0, hiddenAttacker: null, event: 'lookalikeDomain', misconceptions: 'installedRogueRoot acceptedLookalikeName' },
      { roundId: 4, matchNumber: 4, roundIndex: 2, level: 7, roomCode: 'FGHJK', outcome: 'impersonated', role: 'server', player: 'Grace', team: 'Blue', points: -3, endedAt: 0, bot: 0, hiddenAttacker: null, event: 'lookalikeDomain', misconceptions: null },
    ]);
    expect(csv).toBe(
      'round,level,room,outcome,role,player,team,points,ended_at,shared_by,team_points,match,attacker,event,misconceptions\r\n' +
        '1,1,"OLDER","interrupted","ca","(bot)","Red",0,"1970-01-01T00:00:00.000Z",0,0,,,"",""\r\n' +
        '1,2,"ABCDE","secure","client","Zoë, ""Z""","Red",10,"1970-01-01T00:00:00.000Z",1,10,3,,"",""\r\n' +
        '2,4,"FGHJK","falseAlarm","client","Ada","Blue",-1,"1970-01-01T00:00:00.000Z",1,-1,4,absent,"","aborted a clean session (false alarm)"\r\n' +
        '3,6,"FGHJK","impersonated","client","Ada","Blue",-3,"1970-01-01T00:00:00.000Z",1,-3,4,,"A look-alike name","installed the café root; accepted a look-alike name"\r\n' +
        '3,6,"FGHJK","impersonated","server","Grace","Blue",-3,"1970-01-01T00:00:00.000Z",1,-3,4,,"A look-alike name",""\r\n',
    );
  });

  it('names level 4e as players see it, and counts a shared seat once for its team (as the leaderboard does)', () => {
    const row = { roundId: 7, matchNumber: 1, roundIndex: 2, level: 6, roomCode: 'ABCDE', outcome: 'eavesdropped', endedAt: 0, hiddenAttacker: null, event: null, misconceptions: null };
    const csv = resultsCsv([
      { ...row, role: 'client', player: '(bot)', team: 'Red', points: -2, bot: 1 },
      { ...row, role: 'attacker', player: 'Ada', team: 'Blue', points: 5, bot: 0 },
      { ...row, role: 'attacker', player: 'Grace', team: 'Blue', points: 5, bot: 0 },
      { ...row, role: 'attacker', player: 'Linus', team: 'Blue', points: 5, bot: 0 },
    ]);
    const rows = csv.trim().split('\r\n').slice(1).map((line) => line.split(','));
    expect(rows.map((r) => r[1])).toEqual(['4e', '4e', '4e', '4e']);
    expect(rows.map((r) => [r[5], r[7], r[9], r[10], r[11]])).toEqual([
      ['"(bot)"', '-2', '0', '0', '1'],
      ['"Ada"', '5', '3', '5', '1'],
      ['"Grace"', '5', '3', '0', '1'],
      ['"Linus"', '5', '3', '0', '1'],
    ]);
  });
});

describe('names and codes', () => {
  it('accepts names in any script, trims them, refuses the rest', () => {
    expect(checkNickname('  Zoë  ')).toEqual({ ok: true, nickname: 'Zoë' });
    expect(checkNickname('李雷')).toEqual({ ok: true, nickname: '李雷' });
    expect(checkNickname('a  b')).toEqual({ ok: true, nickname: 'a b' });
    expect(checkNickname('tab\there')).toEqual({ ok: true, nickname: 'tab here' });
    for (const bad of ['a', 'x'.repeat(17), 'bob<b>', '', 42, null, 'zero\u200bwidth']) expect(checkNickname(bad).ok, String(bad)).toBe(false);
  });

  it('codes use the unambiguous alphabet, avoid taken ones, and are read forgivingly', () => {
    const rng = seededRng('codes');
    const taken = new Set<string>();
    for (let i = 0; i < 2000; i++) taken.add(newCode((m) => rng.int(m), (c) => taken.has(c)));
    expect(taken.size).toBe(2000);
    for (const c of taken) expect(c).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{5}$/);
    expect(normaliseCode(' abc de ')).toBe('ABCDE');
    expect(normaliseCode('ABCD0')).toBeNull(); // 0 is not in the alphabet
    expect(normaliseCode('ABCDEF')).toBeNull();
    expect(LIMITS.roomCodeAlphabet).not.toMatch(/[01OIL]/);
  });
});

describe('rate limiter', () => {
  it('allows a burst of `capacity`, then refills at the set rate', () => {
    const limiter = new RateLimiter(3, 1);
    expect([0, 0, 0, 0].map(() => limiter.allow('k', 1000))).toEqual([true, true, true, false]);
    expect(limiter.allow('k', 1500)).toBe(false);
    expect(limiter.allow('k', 2000)).toBe(true);
    expect(limiter.allow('other', 2000)).toBe(true);
  });
});

describe('the teacher’s report (what each student’s play showed)', () => {
  const players = (shown: Record<string, Misconception[]>) => Object.entries(shown).map(([playerId, misconceptions]) => ({ playerId, role: 'client' as const, points: 0, misconceptions }));

  it('counts a round once however often it is reported, each misconception by the rounds that showed it, in the report’s order', () => {
    const report = new ClassReport();
    report.add({ matchNumber: 1, roomCode: 'ABCDE', roundIndex: 0, players: players({ p1: ['acceptedLookalikeName'], p2: [] }) });
    report.add({ matchNumber: 1, roomCode: 'ABCDE', roundIndex: 0, players: players({ p1: ['acceptedLookalikeName'] }) }); // the same round, reported again
    report.add({ matchNumber: 1, roomCode: 'ABCDE', roundIndex: 2, players: players({ p1: ['acceptedLookalikeName', 'installedRogueRoot'] }) });
    report.add({ matchNumber: 2, roomCode: 'FGHJK', roundIndex: 0, players: players({ p3: ['abortedCleanSession'] }) });
    expect(report.message()).toEqual({
      students: [
        { playerId: 'p1', shown: [{ misconception: 'acceptedLookalikeName', rounds: 2 }, { misconception: 'installedRogueRoot', rounds: 1 }] },
        { playerId: 'p3', shown: [{ misconception: 'abortedCleanSession', rounds: 1 }] },
      ],
    });
  });

  it('is read back from the store’s rows after a restart: a student by nickname, names the game does not know and bots’ seats left out', () => {
    const row = { roundId: 1, matchNumber: 1, roundIndex: 0, level: 7, roomCode: 'ABCDE', outcome: 'impersonated', team: 'Red', points: 0, endedAt: 0, hiddenAttacker: null, event: 'lookalikeDomain' };
    const report = new ClassReport();
    report.load(
      [
        { ...row, role: 'client', player: 'Ada', bot: 0, misconceptions: 'acceptedLookalikeName madeUp' },
        { ...row, role: 'server', player: 'Grace', bot: 0, misconceptions: null },
        { ...row, role: 'ca', player: '(bot)', bot: 1, misconceptions: 'installedRogueRoot' },
        { ...row, roundIndex: 1, role: 'client', player: 'Gone', bot: 0, misconceptions: 'installedRogueRoot' },
      ],
      (nickname) => ({ Ada: 'p1', Grace: 'p2' })[nickname],
    );
    expect(report.message()).toEqual({ students: [{ playerId: 'p1', shown: [{ misconception: 'acceptedLookalikeName', rounds: 1 }] }] });
  });
});
