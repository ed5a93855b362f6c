/**
 * The teacher's dashboard while the class database is away: a server over a real PostgreSQL
 * (with its journal), a teacher in Chromium, four students scripted as browsers. PostgreSQL
 * stops while the match's last round is played; when the round ends the dashboard says, in
 * words, that its results wait for the database, and still "Match in progress"; PostgreSQL back,
 * the words go and it says "Match over", with the rounds in the CSV.
 *
 * Skipped, saying why, without PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type HeistServer } from '../../server/src/app.ts';
import { until } from '../server/helpers.ts';
import { classOfEight, csvRows, matchesOf } from '../server/support/pupils.ts';
import { freshDatabase, startPostgres, type Started } from '../server/support/services.ts';
import { closeContexts, sharedChromium } from './support/chromium.ts';
import { clientDir, ensureClientBuilt } from './support/server.ts';
import { openPlayer, screenshot } from './support/ui.ts';

let postgres: Started | undefined;
let server: HeistServer | undefined;
let browser: Browser | undefined;
let http = '';
const logs: string[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-away-'));

beforeAll(async () => {
  postgres = await startPostgres();
  if ('skipped' in postgres) return console.warn(`class-database-away.test.ts skipped: ${postgres.skipped}`);
  await ensureClientBuilt();
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dbPath: 'unused',
    databaseUrl: await freshDatabase(postgres.url, 'away'),
    journalPath: path.join(dir, 'journal.db'),
    clientDir,
    log: (line) => logs.push(line),
    timing: { latencyMs: 40, prepareMs: 3000, closingMs: 1500, botDelayMs: [15, 40], betweenRoundsMs: 1000, seatingGraceMs: 3000, shutdownWaitMs: 500 },
    limits: { joinsPerMinute: 1000 },
  });
  http = `http://127.0.0.1:${server.port}`;
  browser = await sharedChromium();
}, 180_000);

afterAll(async () => {
  if (browser) await closeContexts(browser);
  await server?.close();
  if (postgres && !('skipped' in postgres)) await postgres.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the teacher’s dashboard while the class database is away', () => {
  it('says the results wait, not that the match is over; then "Match over" with every round saved', async (ctx) => {
    if (!postgres || 'skipped' in postgres) return ctx.skip();
    const pg = postgres;
    const c = await classOfEight(() => http, [1]);
    // The teacher's dashboard in the browser: the class reopened with its code and key.
    const teacher = await openPlayer(browser!, http);
    await teacher.page.getByText('Reopen a class').click();
    await teacher.page.getByLabel('Class code', { exact: true }).fill(c.code);
    await teacher.page.getByLabel('Teacher key').fill(c.teacherSecret);
    await teacher.page.getByRole('button', { name: 'Open the dashboard' }).click();
    const status = teacher.page.locator('.teacher-head p[role="status"]');
    await status.waitFor();

    c.teacher.send('startMatch');
    await until('round 2 under way', () => c.teacher.state.round === 1 && c.pupils.every((p) => p.game?.view?.phase === 'playing' && p.game.view.parcels.length > 0), 60_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: round ${c.teacher.state.round}, rooms ${JSON.stringify(matchesOf(c.teacher))}, students ${c.pupils.map((p) => `${p.nickname}:${p.game?.view?.phase}`).join(' ')}\n${logs.filter((l) => !l.startsWith('colyseus:')).join('\n')}`);
    });
    await pg.halt();
    try {
      await until('round 2 over', () => matchesOf(c.teacher).every((m) => m.phase === 'over'), 30_000);
      const notice = teacher.page.locator('#unsaved');
      await notice.waitFor({ timeout: 10_000 });
      expect(await notice.innerText()).toBe(
        '2 round results are waiting for the class database, which cannot be reached right now. The server keeps them and saves them as soon as it is back; the results and the CSV are complete from then on.',
      );
      expect(await status.innerText()).toBe('Match in progress — round 2 of 2');
      await screenshot(teacher.page, 'class-database-away');
    } finally {
      await pg.restart();
    }
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).toBe('Match over — round 2 of 2');
    expect(await teacher.page.locator('#unsaved').count()).toBe(0);
    await screenshot(teacher.page, 'class-database-back');
    const rows = await csvRows(http, c.code, c.teacherSecret);
    expect([...new Set(rows.map((r) => `${r[11]},${r[0]},${r[3]}`))]).toEqual(['1,1,eavesdropped', '1,2,eavesdropped']);
    expect(rows).toHaveLength(2 * 2 * 5);
    await teacher.context.close();
    await Promise.all([...c.pupils.map((p) => p.leave()), c.teacher.room.leave(true).catch(() => undefined)]);
  }, 180_000);
});
