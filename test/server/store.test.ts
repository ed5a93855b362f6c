/**
 * The Store, the same cases against both engines: SQLite (the embedded default) and
 * PostgreSQL (DATABASE_URL; a real server from the machine's Debian package, started for this
 * file, a fresh database per case). What a class writes reads back the same from either, row
 * for row: classes, players in join order, teams re-formed, rounds with their points,
 * standings, the CSV's rows; a round whose points cannot be written leaves nothing behind;
 * a reopened database has everything (and migrating twice changes nothing). A class round is
 * one row per (class, match, room, round), however often it is written; a result takes the place
 * of an interrupted record, never the reverse; a database from before matches were numbered is
 * upgraded with its rows (duplicates the old version wrote included) as they were.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@heist/shared';
import { openStore, type StoreSettings } from '../../server/src/persistence/open.ts';
import { migrate as migratePostgres } from '../../server/src/persistence/postgres/migrations.ts';
import { migrate as migrateSqlite } from '../../server/src/persistence/sqlite/db.ts';
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

/** The schema version before matches were numbered, per engine. */
const BEFORE_MATCHES = { sqlite: 2, postgres: 1 } as const;

/** SQL statements against a database at that version, with `?` placeholders (numbered for PostgreSQL). */
async function onOldSchema(engine: 'sqlite' | 'postgres', settings: StoreSettings, statements: [string, unknown[]][]): Promise<void> {
  if (engine === 'sqlite') {
    const db = new Database(settings.dbPath);
    migrateSqlite(db, BEFORE_MATCHES.sqlite);
    for (const [sql, args] of statements) db.prepare(sql).run(...args);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: settings.databaseUrl });
  await client.connect();
  try {
    await migratePostgres(client, BEFORE_MATCHES.postgres);
    for (const [sql, args] of statements) {
      let n = 0;
      await client.query(sql.replace(/\?/g, () => `$${++n}`), args);
    }
  } finally {
    await client.end();
  }
}
const log = () => undefined;

function round(classCode: string | null, roomCode: string, roundIndex: number, seats: [Role, string | null, boolean, number][], players: [string, Role, number][], outcome: RoundRecord['outcome'] = 'eavesdropped', matchNumber: number | null = classCode === null ? null : 1): RoundRecord {
  return {
    classCode,
    matchNumber,
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
      expect(await store.getClass('NEWER')).toEqual({ code: 'NEWER', teacherSecretHash: 'h2', createdAt: T0, status: 'lobby', levels: [1], sequence: [{ level: 1 }] });
      await store.setClassStatus('NEWER', 'playing');
      await store.setLevels('NEWER', [4, 5]);
      expect(await store.getClass('NEWER')).toMatchObject({ status: 'playing', levels: [4, 5], sequence: [{ level: 4 }, { level: 5 }] });
      // The teacher's map: a sequence with events, kept step by step.
      await store.setLevels('NEWER', [{ level: 7, event: 'lookalikeDomain' }, { level: 1 }, { level: 2, event: 'encryptionWithoutIntegrity' }]);
      expect(await store.getClass('NEWER')).toMatchObject({ levels: [7, 1, 2], sequence: [{ level: 7, event: 'lookalikeDomain' }, { level: 1 }, { level: 2, event: 'encryptionWithoutIntegrity' }] });
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

    it('keeps a round’s event and what each player’s play showed (none: null); a bot’s seat shows nothing', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await playedClass(store);
      const seats: [Role, string | null, boolean, number][] = [['client', 'tA', false, -3], ['server', 'tA', false, -3], ['ca', 'tA', true, 1], ['attacker', 'tB', false, 5]];
      const people: [string, Role, number][] = [['p2', 'client', -3], ['p1', 'server', -3], ['p3', 'attacker', 5]];
      const played = round('ABCDE', 'ROOMM', 0, seats, people, 'impersonated', 2);
      played.players[0]!.misconceptions = ['installedRogueRoot', 'clickedThroughForgedCertificate'];
      await store.recordRound({ ...played, event: 'rogueRoot' });
      const rows = (await store.results('ABCDE')).filter((r) => r.roomCode === 'ROOMM').map((r) => [r.role, r.player, r.event, r.misconceptions]);
      expect(rows).toEqual([
        ['client', 'Bea', 'rogueRoot', 'installedRogueRoot clickedThroughForgedCertificate'],
        ['server', 'Ada', 'rogueRoot', null],
        ['ca', '(bot)', 'rogueRoot', null],
        ['attacker', 'Cyd', 'rogueRoot', null],
      ]);
      expect((await store.results('ABCDE')).filter((r) => r.roomCode === 'ROOMA').map((r) => [r.event, r.misconceptions])).toEqual(Array(10).fill([null, null])); // rounds written without either
      await store.close();
    });

    it('keeps a hidden-attacker round’s truth (an attacker or none), and nothing for any other round; an interrupted record gives way with it', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await playedClass(store);
      const seats: [Role, string | null, boolean, number][] = [['client', 'tA', false, -1], ['server', 'tA', false, -1], ['ca', 'tA', true, 1], ['attacker', 'tB', false, 2]];
      const people: [string, Role, number][] = [['p2', 'client', -1], ['p1', 'server', -1], ['p3', 'attacker', 2]];
      const stopped = { ...round('ABCDE', 'ROOMH', 0, seats.map(([r, t, b]) => [r, t, b, 0]), people.map(([p, r]) => [p, r, 0]), 'interrupted', 3), hiddenAttacker: 'present' as const };
      await store.recordRound(stopped);
      await store.recordRound({ ...round('ABCDE', 'ROOMH', 0, seats, people, 'falseAlarm', 3), hiddenAttacker: 'absent' });
      await store.recordRound({ ...round('ABCDE', 'ROOMI', 0, seats, people, 'secure', 3), hiddenAttacker: 'present' });
      const truth = (await store.results('ABCDE')).map((r) => [r.matchNumber, r.roomCode, r.outcome, r.hiddenAttacker]);
      expect([...new Set(truth.map((t) => JSON.stringify(t)))].map((t) => JSON.parse(t))).toEqual([
        [1, 'ROOMA', 'eavesdropped', null],
        [1, 'ROOMA', 'attackDetected', null],
        [3, 'ROOMH', 'falseAlarm', 'absent'],
        [3, 'ROOMI', 'secure', 'present'],
      ]);
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

    it('numbers matches; writes a class round once however often it is recorded; a result takes the place of an interrupted record, not the reverse', async (ctx) => {
      if (skip()) return ctx.skip();
      await open();
      await playedClass(store);
      expect([await store.startMatch('ABCDE'), await store.startMatch('ABCDE')]).toEqual([1, 2]);
      const seats: [Role, string | null, boolean, number][] = [['client', 'tA', false, 4], ['server', 'tA', false, 4], ['ca', 'tA', true, 4], ['attacker', 'tB', false, 0]];
      const people: [string, Role, number][] = [['p2', 'client', 4], ['p1', 'server', 4], ['p3', 'attacker', 0], ['p4', 'attacker', 0]];
      const result = round('ABCDE', 'ROOMC', 0, seats, people, 'secure', 2);
      const interrupted = round('ABCDE', 'ROOMC', 0, seats.map(([r, t, b]) => [r, t, b, 0]), people.map(([p, r]) => [p, r, 0]), 'interrupted', 2);
      // The room's record, the lobby's, and a replay: one round.
      const first = await store.recordRound(result);
      expect(first).toEqual({ roundId: first.roundId, outcome: 'secure', summary: 'round 0' });
      expect(await store.recordRound(result)).toEqual(first);
      // The lobby, having heard nothing, records it as interrupted: the result stays, and the lobby is told so.
      expect(await store.recordRound(interrupted)).toEqual(first);
      // The other way round (interrupted first, the result late): the result takes its place, in the same row.
      const stopped = await store.recordRound({ ...interrupted, roomCode: 'ROOMD' });
      expect(stopped.outcome).toBe('interrupted');
      expect(await store.recordRound({ ...result, roomCode: 'ROOMD' })).toEqual({ roundId: stopped.roundId, outcome: 'secure', summary: 'round 0' });
      // The same room and round in another match is another round.
      await store.recordRound({ ...result, matchNumber: 3, outcome: 'eavesdropped' });
      expect(await store.roundCount('ABCDE')).toBe(2 + 3);
      const rows = (await store.results('ABCDE')).filter((r) => r.role === 'client');
      expect(rows.map((r) => [r.matchNumber, r.roundIndex, r.roomCode, r.outcome, r.player, r.points])).toEqual([
        [1, 0, 'ROOMA', 'eavesdropped', 'Bea', 0],
        [1, 1, 'ROOMA', 'attackDetected', 'Cyd', 3],
        [2, 0, 'ROOMC', 'secure', 'Bea', 4],
        [2, 0, 'ROOMD', 'secure', 'Bea', 4],
        [3, 0, 'ROOMC', 'eavesdropped', 'Bea', 4],
      ]);
      // Points are counted once per round: Bea's 4 in ROOMC and ROOMD of match 2 and in match 3.
      expect((await store.playerStandings('ABCDE')).find((p) => p.name === 'Bea')).toMatchObject({ points: 12, rounds: 5 });
      // Rounds outside a class are never merged.
      const casual = round(null, 'CASUL', 0, [['client', null, true, 1], ['server', null, true, 1], ['ca', null, true, 1], ['attacker', null, true, 0]], []);
      const [c1, c2] = [await store.recordRound(casual), await store.recordRound(casual)];
      expect(c1.roundId).not.toBe(c2.roundId);
      await store.close();
    });

    it('upgrades a database from before matches were numbered: its rows stay as they were, without a match; new rounds are keyed', async (ctx) => {
      if (skip()) return ctx.skip();
      settings = await engine.settings();
      const legacyRound = (id: number, room: string, index: number, outcome: string) =>
        [
          ['INSERT INTO rounds (class_code, room_code, round_index, level, defending_team, attacking_team, started_at, ended_at, outcome, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', ['OLDIE', room, index, 1, 'tA', 'tB', T0 + id, T0 + id + 1, outcome, `old ${id}`]],
          ['INSERT INTO seat_points (round_id, role, team_id, bot, points) VALUES (?, ?, ?, ?, ?)', [id, 'client', 'tA', engine.name === 'sqlite' ? 0 : false, outcome === 'interrupted' ? 0 : 2]],
          ['INSERT INTO player_points (round_id, player_id, role, points) VALUES (?, ?, ?, ?)', [id, 'p1', 'client', outcome === 'interrupted' ? 0 : 2]],
        ] as [string, unknown[]][];
      await onOldSchema(engine.name, settings, [
        ['INSERT INTO classes (code, teacher_secret_hash, created_at, status) VALUES (?, ?, ?, ?)', ['OLDIE', 'hash', T0, 'ended']],
        ['INSERT INTO teams (id, class_code, name, position) VALUES (?, ?, ?, ?)', ['tA', 'OLDIE', 'Foxes', 0]],
        ['INSERT INTO teams (id, class_code, name, position) VALUES (?, ?, ?, ?)', ['tB', 'OLDIE', 'Owls', 1]],
        ['INSERT INTO players (id, class_code, nickname, token_hash, team_id, joined_at) VALUES (?, ?, ?, ?, ?, ?)', ['p1', 'OLDIE', 'Ada', 't', 'tA', T0]],
        // Round 2 of ROOMA twice: the old version recorded it from its room and again as interrupted.
        ...legacyRound(1, 'ROOMA', 0, 'eavesdropped'),
        ...legacyRound(2, 'ROOMA', 1, 'eavesdropped'),
        ...legacyRound(3, 'ROOMA', 1, 'interrupted'),
      ]);
      store = await openStore(settings, log);
      const legacy = (await store.results('OLDIE')).map((r) => [r.matchNumber, r.roundIndex, r.roomCode, r.outcome, r.player, r.points]);
      expect(legacy).toEqual([
        [null, 0, 'ROOMA', 'eavesdropped', 'Ada', 2],
        [null, 1, 'ROOMA', 'eavesdropped', 'Ada', 2],
        [null, 1, 'ROOMA', 'interrupted', 'Ada', 0],
      ]);
      // The class's first numbered match is 1; its rounds are keyed from then on.
      expect(await store.startMatch('OLDIE')).toBe(1);
      const again = round('OLDIE', 'ROOMA', 1, [['client', 'tA', false, 5], ['server', 'tA', true, 0], ['ca', 'tA', true, 0], ['attacker', 'tB', true, 0]], [['p1', 'client', 5]], 'secure', 1);
      await store.recordRound(again);
      await store.recordRound(again);
      const rows = (await store.results('OLDIE')).map((r) => [r.matchNumber, r.roundIndex, r.roomCode, r.outcome, r.player, r.points]);
      expect(rows).toEqual([
        ...legacy,
        [1, 1, 'ROOMA', 'secure', 'Ada', 5],
        [1, 1, 'ROOMA', 'secure', '(bot)', 0],
        [1, 1, 'ROOMA', 'secure', '(bot)', 0],
        [1, 1, 'ROOMA', 'secure', '(bot)', 0],
      ]);
      expect(await store.roundCount('OLDIE')).toBe(4);
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
