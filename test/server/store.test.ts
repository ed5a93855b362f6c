/**
 * The Store, the same cases against both engines: SQLite (the embedded default) and
 * PostgreSQL (DATABASE_URL; a real server from the machine's Debian package, started for this
 * file, a fresh database per case). What a class writes reads back the same from either, row
 * for row: classes, players in join order, teams re-formed, rounds with their points,
 * standings, the CSV's rows; a round whose points cannot be written leaves nothing behind;
 * a reopened database has everything (and migrating twice changes nothing).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@heist/shared';
import { openStore, type StoreSettings } from '../../server/src/persistence/open.ts';
import type { RoundRecord, Store } from '../../server/src/persistence/store.ts';
import { freshDatabase, startPostgres, type Started } from './support/services.ts';

let postgres: Started | undefined;
beforeAll(async () => {
  postgres = await startPostgres();
  if ('skipped' in postgres) console.warn(`store.test.ts: PostgreSQL cases skipped: ${postgres.skipped}`);
}, 60_000);
afterAll(async () => {
  if (postgres && !('skipped' in postgres)) await postgres.stop();
});

let databases = 0;
const ENGINES: { name: 'sqlite' | 'postgres'; settings(): Promise<StoreSettings> }[] = [
  { name: 'sqlite', settings: async () => ({ dbPath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'heist-store-')), 'heist.db') }) },
  {
    name: 'postgres',
    settings: async () => {
      if (!postgres || 'skipped' in postgres) throw new Error('no PostgreSQL');
      return { dbPath: 'unused', databaseUrl: await freshDatabase(postgres.url, `store_${process.pid}_${++databases}`) };
    },
  },
];

const T0 = 1_750_000_000_000;
const log = () => undefined;

function round(classCode: string | null, roomCode: string, roundIndex: number, seats: [Role, string | null, boolean, number][], players: [string, Role, number][], outcome: RoundRecord['outcome'] = 'eavesdropped'): RoundRecord {
  return {
    classCode,
    roomCode,
    roundIndex,
    level: 1,
    defendingTeam: seats.find(([r]) => r === 'client')?.[1] ?? null,
    attackingTeam: seats.find(([r]) => r === 'attacker')?.[1] ?? null,
    startedAt: T0 + roundIndex * 1000,
    endedAt: T0 + roundIndex * 1000 + 500,
    outcome,
    summary: `round ${roundIndex}`,
    seats: seats.map(([role, teamId, bot, points]) => ({ role, teamId, bot, points })),
    players: players.map(([playerId, role, points]) => ({ playerId, role, points })),
  };
}

/** A class of four in two teams, which plays two rounds with the sides swapped, plus a casual round elsewhere. */
async function playedClass(store: Store): Promise<void> {
  await store.createClass('ABCDE', 'hash', T0);
  for (const [i, [id, nick]] of [['p1', 'Ada'], ['p2', 'Bea'], ['p3', 'Cyd'], ['p4', 'Dov']].entries()) await store.addPlayer({ id: id!, classCode: 'ABCDE', nickname: nick!, tokenHash: `t${i}` }, T0 + 10);
  await store.saveTeams('ABCDE', [
    { id: 'tA', name: 'Foxes', position: 0, playerIds: ['p2', 'p1'] },
    { id: 'tB', name: 'Owls', position: 1, playerIds: ['p3', 'p4'] },
  ]);
  // Round 1: Foxes defend (Bea client, Ada server, a bot CA); Owls attack together.
  await store.recordRound(round('ABCDE', 'ROOMA', 0, [['client', 'tA', false, 0], ['server', 'tA', false, 0], ['ca', 'tA', true, 2], ['attacker', 'tB', false, 5]], [['p2', 'client', 0], ['p1', 'server', 0], ['p3', 'attacker', 5], ['p4', 'attacker', 5]]));
  // Round 2: the Owls defend and detect the attack.
  await store.recordRound(round('ABCDE', 'ROOMA', 1, [['client', 'tB', false, 3], ['server', 'tB', false, 3], ['ca', 'tB', true, 1], ['attacker', 'tA', false, 0]], [['p3', 'client', 3], ['p4', 'server', 3], ['p1', 'attacker', 0], ['p2', 'attacker', 0]], 'attackDetected'));
  await store.recordRound(round(null, 'CASUL', 0, [['client', null, true, 1], ['server', null, true, 1], ['ca', null, true, 1], ['attacker', null, true, 0]], []));
}

for (const engine of ENGINES) {
  describe(`the store on ${engine.name}`, () => {
    const skip = () => engine.name === 'postgres' && (!postgres || 'skipped' in postgres);
    let store: Store;
    let settings: StoreSettings;

    const open = async () => {
      settings = await engine.settings();
      store = await openStore(settings, log);
      expect(store.engine).toBe(engine.name);
      return store;
    };

    it('keeps a class: its secret hash, status, levels; lists recent classes oldest first', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await store.createClass('OLDER', 'h1', T0 - 100_000);
      await store.createClass('NEWER', 'h2', T0);
      await store.createClass('MIDDL', 'h3', T0 - 50_000);
      expect(await store.classExists('NEWER')).toBe(true);
      expect(await store.classExists('NOPE2')).toBe(false);
      expect(await store.getClass('NOPE2')).toBeUndefined();
      expect(await store.getClass('NEWER')).toEqual({ code: 'NEWER', teacherSecretHash: 'h2', createdAt: T0, status: 'lobby', levels: [1] });
      await store.setClassStatus('NEWER', 'playing');
      await store.setLevels('NEWER', [4, 5]);
      expect(await store.getClass('NEWER')).toMatchObject({ status: 'playing', levels: [4, 5] });
      expect(await store.openClassCodes(T0 - 60_000)).toEqual(['MIDDL', 'NEWER']);
      await store.close();
    });

    it('lists players in the order they joined; a removed player leaves their team and frees the nickname', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await store.createClass('ABCDE', 'hash', T0);
      await store.addPlayer({ id: 'p2', classCode: 'ABCDE', nickname: 'Zoe', tokenHash: 'tz' }, T0 + 5);
      await store.addPlayer({ id: 'p1', classCode: 'ABCDE', nickname: 'Ann', tokenHash: 'ta' }, T0 + 5); // same instant: insertion order
      await store.addPlayer({ id: 'p0', classCode: 'ABCDE', nickname: 'Bo', tokenHash: 'tb' }, T0 + 1);
      expect((await store.players('ABCDE')).map((p) => p.nickname)).toEqual(['Bo', 'Zoe', 'Ann']);
      await expect(store.addPlayer({ id: 'p9', classCode: 'ABCDE', nickname: 'Zoe', tokenHash: 'x' }, T0 + 9)).rejects.toThrow();
      await store.saveTeams('ABCDE', [{ id: 'tA', name: 'Foxes', position: 0, playerIds: ['p2', 'p1'] }]);
      await store.removePlayer('p2');
      const zoe = (await store.players('ABCDE')).find((p) => p.id === 'p2')!;
      expect(zoe).toEqual({ id: 'p2', classCode: 'ABCDE', nickname: 'Zoe', tokenHash: 'tz', teamId: null, teamPosition: null, removed: true });
      await store.addPlayer({ id: 'p9', classCode: 'ABCDE', nickname: 'Zoe', tokenHash: 'x' }, T0 + 9);
      expect((await store.players('ABCDE')).filter((p) => p.nickname === 'Zoe').map((p) => p.removed)).toEqual([true, false]);
      await store.close();
    });

    it('re-forms teams: membership and order replaced, team rows kept for past rounds', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await playedClass(store);
      expect((await store.players('ABCDE')).map((p) => [p.id, p.teamId, p.teamPosition])).toEqual([
        ['p1', 'tA', 1],
        ['p2', 'tA', 0],
        ['p3', 'tB', 0],
        ['p4', 'tB', 1],
      ]);
      await store.saveTeams('ABCDE', [{ id: 'tC', name: 'Bats', position: 2, playerIds: ['p4', 'p3', 'p2', 'p1'] }]);
      expect((await store.teams('ABCDE')).map((t) => [t.id, t.name, t.position])).toEqual([
        ['tA', 'Foxes', 0],
        ['tB', 'Owls', 1],
        ['tC', 'Bats', 2],
      ]);
      expect((await store.players('ABCDE')).map((p) => [p.id, p.teamId, p.teamPosition])).toEqual([
        ['p1', 'tC', 3],
        ['p2', 'tC', 2],
        ['p3', 'tC', 1],
        ['p4', 'tC', 0],
      ]);
      // The old teams still score what they scored.
      expect((await store.teamStandings('ABCDE')).map((t) => [t.name, t.points])).toEqual([
        ['Owls', 5 + 3 + 3],
        ['Foxes', 0],
        ['Bats', 0],
      ]);
      await store.close();
    });

    it('records rounds with their points: standings count only seats people held, the CSV rows are in order', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await playedClass(store);
      expect(await store.roundCount('ABCDE')).toBe(2);
      expect((await store.teamStandings('ABCDE')).map((t) => ({ ...t }))).toEqual([
        { id: 'tB', name: 'Owls', teamId: 'tB', points: 11, rounds: 2 },
        { id: 'tA', name: 'Foxes', teamId: 'tA', points: 0, rounds: 2 },
      ]);
      expect((await store.playerStandings('ABCDE')).map((p) => [p.name, p.points, p.rounds])).toEqual([
        ['Cyd', 8, 2],
        ['Dov', 8, 2],
        ['Ada', 0, 2],
        ['Bea', 0, 2],
      ]);
      const rows = await store.results('ABCDE');
      expect(rows.map((r) => [r.roundIndex, r.roomCode, r.outcome, r.role, r.player, r.team, r.points])).toEqual([
        [0, 'ROOMA', 'eavesdropped', 'client', 'Bea', 'Foxes', 0],
        [0, 'ROOMA', 'eavesdropped', 'server', 'Ada', 'Foxes', 0],
        [0, 'ROOMA', 'eavesdropped', 'ca', '(bot)', 'Foxes', 2],
        [0, 'ROOMA', 'eavesdropped', 'attacker', 'Cyd', 'Owls', 5],
        [0, 'ROOMA', 'eavesdropped', 'attacker', 'Dov', 'Owls', 5],
        [1, 'ROOMA', 'attackDetected', 'client', 'Cyd', 'Owls', 3],
        [1, 'ROOMA', 'attackDetected', 'server', 'Dov', 'Owls', 3],
        [1, 'ROOMA', 'attackDetected', 'ca', '(bot)', 'Owls', 1],
        [1, 'ROOMA', 'attackDetected', 'attacker', 'Ada', 'Foxes', 0],
        [1, 'ROOMA', 'attackDetected', 'attacker', 'Bea', 'Foxes', 0],
      ]);
      expect(rows[0]!.endedAt).toBe(T0 + 500);
      expect(rows[0]!.level).toBe(1);
      expect(rows[0]!.roundId).toBeLessThan(rows[9]!.roundId);
      await store.close();
    });

    it('writes a round whole or not at all: a point for an unknown player leaves no round behind', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await playedClass(store);
      const broken = round('ABCDE', 'ROOMA', 2, [['client', 'tA', false, 1], ['server', 'tA', true, 1], ['ca', 'tA', true, 1], ['attacker', 'tB', false, 0]], [['p1', 'client', 1], ['nobody', 'attacker', 0]]);
      await expect(store.recordRound(broken)).rejects.toThrow();
      expect(await store.roundCount('ABCDE')).toBe(2);
      expect((await store.results('ABCDE')).filter((r) => r.roundIndex === 2)).toEqual([]);
      await store.close();
    });

    it('reopens with everything there; migrating an up-to-date database changes nothing', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await playedClass(store);
      const before = await store.results('ABCDE');
      await store.close();
      const again = await openStore(settings, log);
      expect(await again.results('ABCDE')).toEqual(before);
      expect(await again.getClass('ABCDE')).toMatchObject({ code: 'ABCDE', status: 'lobby' });
      // Ids keep growing after a reopen: a new round sorts after the old ones.
      await again.recordRound(round('ABCDE', 'ROOMB', 2, [['client', 'tA', true, 0], ['server', 'tA', true, 0], ['ca', 'tA', true, 0], ['attacker', 'tB', true, 0]], [], 'interrupted'));
      expect((await again.results('ABCDE')).at(-1)).toMatchObject({ roundIndex: 2, roomCode: 'ROOMB', outcome: 'interrupted', player: '(bot)' });
      await again.close();
    });
  });
}
