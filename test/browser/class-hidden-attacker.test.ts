/**
 * A hidden-attacker class round in real browsers: the teacher ticks "Hidden attacker" and starts a
 * level-1 match of four one-student teams (two rooms). A coin decides, room by room, whether the
 * room has an attacker: the teacher's dashboard says which, the projector says only "told with the
 * result", and each room's defender — Alice, at the client seat — is shown the same screen
 * either way. The attacker seat of a room without an attacker calls; the other listens. After the
 * round each defender's scoreboard opens with the truth for her room, and the projector shows it.
 * (Which rooms get an attacker is the server's own coin: each run checks whichever came up,
 * exactly.) Screenshots in test/artifacts (hidden-*.png).
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, failurePictures, openPlayer, outcomeOf, screenshot, setNickname, type Player } from './support/ui.ts';

// The wait for the attacker's proof at level 1 runs its full length in this mode: keep it short.
const env = useServerAndBrowser({ latencyMs: 150, closingMs: 2_000, betweenRoundsMs: 0 });
const SLOW = { timeout: 30_000 };

interface Student extends Player {
  nickname: string;
  room: string;
  role: string;
}

/** The room code and seat a student's play screen shows. */
async function seatOf(page: Page): Promise<{ room: string; role: string }> {
  await page.locator('#preparing-title').waitFor(SLOW);
  const role = (await page.locator('#my-role').innerText()).replace(/^You: /, '').split(' ')[0]!;
  const room = /Room (\w{5})/.exec(await page.locator('.play-head').innerText())?.[1] ?? '';
  return { room, role };
}

describe('a hidden-attacker class round', () => {
  it('shows each defender the same screen whether or not her room has an attacker, and the truth with the result', async () => {
    const teacher = await openPlayer(env.browser, env.server.url);
    const dash = teacher.page;
    onTestFailed(async () => {
      await failurePictures(env.browser, 'hidden-failed');
    });
    await dash.getByRole('button', { name: 'Create a class' }).click();
    const code = (await dash.locator('#class-code').textContent())!.trim();

    const students: Student[] = [];
    for (const nickname of ['Ada', 'Grace', 'Linus', 'Radia']) {
      const p = await openPlayer(env.browser, `${env.server.url}/?class=${code}`);
      await setNickname(p.page, nickname);
      await p.page.getByRole('button', { name: 'Join a class' }).click();
      await p.page.getByRole('heading', { name: `Class ${code}` }).waitFor();
      students.push({ ...p, nickname, room: '', role: '' });
    }
    await dash.getByRole('heading', { name: 'Students (4)' }).waitFor();
    await dash.getByLabel('Teams').fill('4');
    await dash.getByRole('button', { name: 'Form balanced teams' }).click();
    await expect.poll(() => dash.locator('ul.teams > li').count(), SLOW).toBe(4);
    await expect(dash.locator('input[data-level="1"]').isChecked()).resolves.toBe(true);
    await dash.getByLabel(/Hidden attacker: nobody tells you whether someone is listening/).check();
    await screenshot(dash, 'hidden-dashboard-setup');
    await dash.getByRole('button', { name: '▶ Start match' }).click();

    for (const s of students) Object.assign(s, await seatOf(s.page));
    const rooms = [...new Set(students.map((s) => s.room))].sort();
    expect(rooms).toHaveLength(2);
    // The teacher's dashboard knows which rooms have an attacker (and says only she sees it).
    const truth = new Map<string, boolean>();
    for (const room of rooms) {
      const cell = dash.locator('tbody.room', { has: dash.getByRole('cell', { name: room, exact: true }) }).locator('.room-attacker');
      await expect.poll(() => cell.getAttribute('data-attacker'), SLOW).toMatch(/^(present|absent)$/);
      truth.set(room, (await cell.getAttribute('data-attacker')) === 'present');
      await expect(cell.innerText()).resolves.toBe(truth.get(room) ? '⚔ yes' : '— none');
    }
    await expect(dash.locator('#attacker-legend').innerText()).resolves.toBe('Attacker: whether the room has one this round. Only you see it before the room’s result; the projector shows “?” until then.');
    await expect(dash.locator('.teacher-head [role="status"]').innerText()).resolves.toContain('(hidden attacker)');
    await screenshot(dash, 'hidden-dashboard-truth');
    // The projector (the class sees it): not before the result.
    await dash.getByRole('button', { name: 'Projector view' }).click();
    await expect(dash.locator('.room-attacker').evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-attacker'), c.querySelector('[aria-hidden]')?.textContent]))).resolves.toEqual([
      ['hidden', '?'],
      ['hidden', '?'],
    ]);
    await screenshot(dash, 'hidden-projector-during');

    const defenders = students.filter((s) => s.role === 'Client');
    const attackers = students.filter((s) => s.role === 'Attacker');
    expect(defenders.map((s) => s.room).sort()).toEqual(rooms);
    // What Alice is shown while preparing is word for word the same in both rooms: the mode is on, nothing more.
    const briefings = await Promise.all(defenders.map((s) => s.page.locator('.preparing').innerText()));
    expect(briefings[0]).toBe(briefings[1]);
    expect(briefings[0]).toContain('Before Alice connects, Mallory, if your room has one this round, sets up her tools.');
    expect(briefings[0]).toContain('This match: hidden attacker');
    expect(briefings[0]).toContain('Client (you): Go back when a check fails, not on a hunch.');
    await expectAccessible(defenders[0]!.page, 'a defender’s screen in a hidden-attacker round');
    await screenshot(defenders[0]!.page, 'hidden-defender-preparing');

    // The attacker seats: the one with no attack in its room calls; the other has her tools and listens.
    for (const a of attackers) {
      if (truth.get(a.room)) {
        await a.page.getByRole('button', { name: 'I am ready' }).click();
        await expect(a.page.locator('.sitting-out').count()).resolves.toBe(0);
      } else {
        await expect(a.page.locator('.preparing p').first().innerText()).resolves.toContain('Make your call (in your panel): it is your seat’s “I am ready”.');
        await expect(a.page.getByRole('group', { name: 'Your call' }).getByRole('button').allInnerTexts()).resolves.toEqual(['They will complete the session', 'They will abort it (a false alarm)']);
        await expectAccessible(a.page, 'the attacker seat with no attack in its room');
        await screenshot(a.page, 'hidden-sitting-out-call');
        await a.page.getByRole('button', { name: 'They will complete the session' }).click();
        await expect(a.page.locator('#my-call').innerText()).resolves.toContain('Your call: they will complete the session.');
        await screenshot(a.page, 'hidden-sitting-out');
      }
    }
    for (const d of defenders) {
      await d.page.getByRole('button', { name: 'I am ready' }).click();
      await d.page.getByRole('button', { name: 'Connect to bank.example' }).click(SLOW);
      await d.page.getByRole('button', { name: 'Send PIN and transfer' }).and(d.page.locator(':enabled')).click(SLOW);
    }
    // Once the conversation is over, the two defenders' timelines read the same too (but for each room's own student, PIN and order).
    const lines = (page: Page) =>
      page.locator('.timeline li').evaluateAll((lis) => lis.map((li) => `${li.querySelector('.event-actor')?.textContent?.replace(/ \(.*\)$/, '')}: ${li.querySelector('.event-text')?.textContent}`.replace(/\d+/g, '#').replace(/Bob|Carol|Dave|Erin/g, '…')));
    for (const d of defenders) await d.page.getByText('Anyone who read the PIN on the café Wi-Fi has 2 s to prove it.').first().waitFor(SLOW);
    // Up to that line: a room whose 2 s ran out first may already show its result.
    const untilOver = (l: string[] = []) => l.slice(0, l.findIndex((line) => line.startsWith('Referee: The conversation is over')) + 1);
    const [one, two] = await Promise.all(defenders.map((d) => lines(d.page)));
    expect(untilOver(one)).toEqual(untilOver(two));
    expect(one).toContain('Referee: The conversation is over. Anyone who read the PIN on the café Wi-Fi has # s to prove it.');

    // The result: the same outcome, and the truth for each room.
    for (const d of defenders) {
      expect(await outcomeOf(d.page)).toBe('unprotected');
      const reveal = d.page.locator('#hidden-reveal');
      const present = truth.get(d.room)!;
      await expect(reveal.getAttribute('data-present')).resolves.toBe(String(present));
      await expect(reveal.innerText()).resolves.toBe(
        present
          ? 'The truth: an attacker was here. There was an attacker in your room: she only listened on the café Wi-Fi. Nobody noticed her.'
          : 'The truth: no attacker. No attacker in your room this round. The session was honest, and it was completed. The attacking team sat this round out and called “they will complete the session”: right (+2).',
      );
      await expect(d.page.locator('.scoreboard td[data-role="attacker"]').innerText()).resolves.toBe(present ? '0' : '+2');
    }
    await screenshot(defenders[0]!.page, 'hidden-defender-result');
    // And the projector, once each room has its result.
    for (const room of rooms) {
      const cell = dash.locator('tbody.room', { has: dash.getByRole('cell', { name: room, exact: true }) }).locator('.room-attacker');
      await expect.poll(() => cell.innerText(), SLOW).toBe(truth.get(room) ? '⚔ yes' : '— none');
    }
    await screenshot(dash, 'hidden-projector-after');

    for (const p of [teacher, ...students]) expect(p.errors, 'browser console errors').toEqual([]);
    for (const p of [teacher, ...students]) await p.context.close();
  }, 120_000);
});
