/**
 * The teacher's side of the debrief's files: watching a class room live on the dashboard, once
 * the round is over she saves the capture that carries its key log and the key log itself
 * (fetched with the teacher secret in a header). Two students play from scripted clients.
 */
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { openPlayer, outcomeOf, downloaded } from './support/ui.ts';
import { autoPilot, BOTS, Lobbyist, Person, until } from '../server/helpers.ts';
import { keyLogLines, readPcapng } from '../../shared/src/capture/pcapng.ts';

// Slow enough between rounds that the debrief stays on screen.
const env = useServerAndBrowser({ latencyMs: 100, betweenRoundsMs: 120_000, prepareMs: 5_000 });

describe('the teacher’s files', () => {
  it('watching a level-4 room, the teacher saves the capture with its key log, and the key log', async () => {
    const teacher = await openPlayer(env.browser, env.server.url);
    const dash = teacher.page;
    await dash.getByRole('button', { name: 'Create a class' }).click();
    const code = (await dash.locator('#class-code').textContent())!.trim();
    const ws = env.server.url.replace(/^http/, 'ws');
    const students = [await Lobbyist.join(ws, code, { nickname: 'Ada' }), await Lobbyist.join(ws, code, { nickname: 'Alan' })];
    await dash.getByRole('heading', { name: 'Students (2)' }).waitFor();
    await dash.getByLabel('Teams').fill('2');
    await dash.getByRole('button', { name: 'Form balanced teams' }).click();
    await expect.poll(() => dash.locator('ul.teams > li').count()).toBe(2);
    await dash.locator('input[data-level="4"]').check();
    await dash.locator('input[data-level="1"]').uncheck();
    await expect.poll(() => dash.locator('input[data-level="1"]').isChecked()).toBe(false);
    await dash.getByRole('button', { name: 'Start match' }).click();

    await until('assignments', () => students.every((s) => s.assignments.length === 1), 30_000);
    const room = students[0]!.assignments[0]!.roomCode;
    const people = await Promise.all(students.map((s, i) => Person.join(ws, room, ['Ada', 'Alan'][i]!, { ticket: s.assignments[0]!.ticket })));
    await dash.getByRole('button', { name: `Show live: room ${room}` }).click();
    await dash.locator('#watch-scope').waitFor();
    const stops = people.map((p, i) => autoPilot(p, BOTS, `teacher-files-${i}`));
    await outcomeOf(dash, 60_000);
    stops.forEach((s) => s());

    const files = dash.locator('section.captures');
    await expect(files.getByRole('button').allTextContents()).resolves.toEqual([
      '⬇ The capture, with its key log (opens decrypted)',
      '⬇ The TLS key log on its own',
      '⬇ The attacker’s recording (no keys)',
      '⬇ The bank’s leaked private key',
    ]);
    const [capture] = await Promise.all([dash.waitForEvent('download'), files.getByRole('button', { name: /The capture/ }).click()]);
    expect(capture.suggestedFilename()).toBe('heist-level4-capture.pcapng');
    const lines = keyLogLines(readPcapng(new Uint8Array(await downloaded(capture))));
    // Alice's one RSA session, as OpenSSL's client logs it: the pre-master by its encryption, then the master secret.
    expect(lines).toEqual([expect.stringMatching(/^RSA [0-9a-f]{16} [0-9a-f]{96}$/), expect.stringMatching(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/)]);
    const [keyLog] = await Promise.all([dash.waitForEvent('download'), files.getByRole('button', { name: /key log on its own/ }).click()]);
    expect((await downloaded(keyLog)).toString('utf8')).toBe(lines.map((l) => `${l}\n`).join(''));

    expect(teacher.errors.filter((e) => !/WebSocket|ERR_CONNECTION|1006/.test(e))).toEqual([]);
    for (const p of people) await p.leave();
    for (const s of students) await s.room.leave(true);
    await teacher.context.close();
  });
});
