/**
 * The journal in front of PostgreSQL (server/src/persistence/journal.ts), against a real
 * PostgreSQL that is stopped and started again; the journal's waits on a drivable clock. While
 * the database is away, results and statuses are kept in the journal file and nothing is lost;
 * once it is back they are written in the order they happened, each round once however often it
 * was recorded, and whoever waits for a write hears when it is made. What a stopped process left
 * in its journal is written when it starts again. A write the database refuses is set aside
 * after five attempts, and the writes behind it go on. One process per journal file.
 *
 * Skipped, saying why, without PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@heist/shared';
import { JournaledStore } from '../../server/src/persistence/journal.ts';
import { openStore } from '../../server/src/persistence/open.ts';
import type { RoundRecord, Store } from '../../server/src/persistence/store.ts';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';
import { freshDatabase, startPostgres, type Started } from './support/services.ts';

let postgres: Started | undefined;
beforeAll(async () => {
  postgres = await startPostgres();
  if ('skipped' in postgres) console.warn(`journal.test.ts skipped: ${postgres.skipped}`);
}, 60_000);
afterAll(async () => {
  if (postgres && !('skipped' in postgres)) await postgres.stop();
});

const T0 = 1_750_000_000_000;
let databases = 0;

function round(roomCode: string, roundIndex: number, outcome: RoundRecord['outcome'] = 'eavesdropped', playerId = 'p1'): RoundRecord {
  const seats: [Role, string, boolean, number][] = [['client', 'tA', false, 0], ['server', 'tA', true, 0], ['ca', 'tA', true, 0], ['attacker', 'tB', true, 5]];
  return {
    classCode: 'JOURN',
    matchNumber: 1,
    roomCode,
    roundIndex,
    level: 1,
    defendingTeam: 'tA',
    attackingTeam: 'tB',
    startedAt: T0,
    endedAt: T0 + 1000,
    outcome,
    summary: `${roomCode} ${roundIndex}`,
    seats: seats.map(([role, teamId, bot, points]) => ({ role, teamId, bot, points })),
    players: [{ playerId, role: 'client', points: 0 }],
  };
}

/** A class of one in PostgreSQL, and a store in front of it with a journal in a fresh folder. */
async function setUp(scheduler: ManualScheduler, logs: string[]) {
  if (!postgres || 'skipped' in postgres) throw new Error('no PostgreSQL');
  const databaseUrl = await freshDatabase(postgres.url, `journal_${process.pid}_${++databases}`);
  const journalPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'heist-journal-')), 'journal.db');
  const open = () => openStore({ dbPath: 'unused', databaseUrl, journalPath }, (line) => logs.push(line), scheduler) as Promise<JournaledStore>;
  const store = await open();
  await store.createClass('JOURN', 'hash', T0);
  await store.addPlayer({ id: 'p1', classCode: 'JOURN', nickname: 'Ada', tokenHash: 't' }, T0);
  await store.saveTeams('JOURN', [
    { id: 'tA', name: 'Foxes', position: 0, playerIds: ['p1'] },
    { id: 'tB', name: 'Owls', position: 1, playerIds: [] },
  ]);
  return { store, open, journalPath };
}

/** Lets the clock run `ms` (the journal's waits), then lets the database answer. */
async function turn(scheduler: ManualScheduler, ms: number): Promise<void> {
  scheduler.advance(ms);
  await new Promise((r) => setTimeout(r, 50));
}

async function until(what: string, scheduler: ManualScheduler, done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await done()) return;
    await turn(scheduler, 500);
  }
  throw new Error(`never: ${what}`);
}

const csvRounds = async (store: Store) => [...new Set((await store.results('JOURN')).map((r) => `${r.roomCode} ${r.roundIndex + 1} ${r.outcome}`))];

describe('the journal in front of PostgreSQL', () => {
  const skip = () => !postgres || 'skipped' in postgres;

  it('keeps results while PostgreSQL is stopped and writes them, in order and once each, when it is back', async (ctx) => {
    if (skip()) return ctx.skip();
    const scheduler = new ManualScheduler();
    const logs: string[] = [];
    const { store } = await setUp(scheduler, logs);
    const pg = postgres as Exclude<Started, { skipped: string }>;
    await pg.halt();
    try {
      const written: string[] = [];
      const note = (what: string) => () => void written.push(what);
      const waits = [
        store.recordRound(round('ROOMA', 1)).then(note('A')),
        store.recordRound(round('ROOMB', 1, 'attackDetected')).then(note('B')),
        store.recordRound(round('ROOMA', 1)).then(note('A again')), // the lobby's copy of the room's record
        store.setClassStatus('JOURN', 'ended').then(note('ended')),
      ];
      await until('the database seen away', scheduler, () => logs.some((l) => /database is not reachable/.test(l)));
      for (let i = 0; i < 5; i++) await turn(scheduler, 10_000);
      expect(written).toEqual([]);
      expect(store.pending).toBe(4);
      await pg.restart();
      await until('everything written', scheduler, () => written.length === 4);
      await Promise.all(waits);
      expect(written).toEqual(['A', 'B', 'A again', 'ended']);
      expect(store.pending).toBe(0);
      expect(await csvRounds(store)).toEqual(['ROOMA 2 eavesdropped', 'ROOMB 2 attackDetected']);
      expect(await store.getClass('JOURN')).toMatchObject({ status: 'ended' });
      expect(logs.filter((l) => /database is back/.test(l))).toHaveLength(1);
    } finally {
      if (pg.proc.exitCode !== null) await pg.restart();
      await store.close();
    }
  });

  it('writes what a stopped process left in its journal when the process starts again', async (ctx) => {
    if (skip()) return ctx.skip();
    const scheduler = new ManualScheduler();
    const logs: string[] = [];
    const { store, open } = await setUp(scheduler, logs);
    const pg = postgres as Exclude<Started, { skipped: string }>;
    await pg.halt();
    const lost = store.recordRound(round('ROOMC', 0, 'secure'));
    await until('the database seen away', scheduler, () => logs.some((l) => /database is not reachable/.test(l)));
    await store.close(); // the process stops; the round is in its journal
    await expect(lost).rejects.toThrow(/kept in the journal/);
    expect(logs.at(-1)).toMatch(/1 writes not in the database yet; kept for the next start/);
    await pg.restart();
    const again = await open();
    expect(logs.some((l) => /journal: 1 writes from before the last stop, replaying them/.test(l))).toBe(true);
    await until('replayed', scheduler, () => again.pending === 0);
    expect(await csvRounds(again)).toEqual(['ROOMC 1 secure']);
    await again.close();
  });

  it('sets a write the database refuses aside after five attempts; the writes behind it go on', async (ctx) => {
    if (skip()) return ctx.skip();
    const scheduler = new ManualScheduler();
    const logs: string[] = [];
    const { store } = await setUp(scheduler, logs);
    const refused = store.recordRound(round('ROOMD', 0, 'secure', 'nobody')); // no such player: a foreign key refuses it
    const next = store.recordRound(round('ROOME', 0, 'secure'));
    refused.catch(() => undefined);
    await until('set aside', scheduler, () => store.setAside === 1);
    await expect(refused).rejects.toThrow(/foreign key/);
    await next;
    expect(logs.filter((l) => /the database refused write/.test(l))).toHaveLength(5);
    expect(await csvRounds(store)).toEqual(['ROOME 1 secure']);
    expect(store.pending).toBe(0);
    await store.close();
  });

  it('is one process’s own: a second process cannot open the same file', async (ctx) => {
    if (skip()) return ctx.skip();
    const scheduler = new ManualScheduler();
    const { store, open, journalPath } = await setUp(scheduler, []);
    await expect(open()).rejects.toThrow(`the journal ${journalPath} is in use by another process: give each process its own JOURNAL_PATH`);
    await store.close();
  });
});
