/**
 * The teacher's map in real browsers: the teacher picks a sequence on the class setup's map —
 * level 6 with the look-alike name, level 1 unticked — and starts. The students' round has that
 * event (Alice's briefing and her address bar), the dashboard's room says it, and once Alice has
 * sent her PIN to the look-alike site the dashboard (the teacher's only) says what her play
 * showed; the projector's "up next" names the next round's event. Then the practice screen's map
 * plays a level with an event at a click. The map is driven by keyboard too (Space on a tick), and
 * axe-core finds nothing serious on the setup, the dashboard or the practice screen. Screenshots in
 * test/artifacts (map-*.png).
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, failurePictures, openPlayer, outcomeOf, screenshot, setNickname, type Player } from './support/ui.ts';

// Short waits after the conversation: the round ends soon after Alice's transfer.
const env = useServerAndBrowser({ latencyMs: 150, closingMs: 1_000, betweenRoundsMs: 0 });
const SLOW = { timeout: 30_000 };

async function roleOf(page: Page): Promise<string> {
  await page.locator('#preparing-title').waitFor(SLOW);
  return (await page.locator('#my-role').innerText()).replace(/^You: /, '').split(' ')[0]!;
}

describe('the teacher’s map', () => {
  it('plays the sequence the teacher picked on it, event and all, and tells the teacher alone what the students’ play showed', async () => {
    const teacher = await openPlayer(env.browser, env.server.url);
    const dash = teacher.page;
    onTestFailed(async () => {
      await failurePictures(env.browser, 'map-failed');
    });
    await dash.getByRole('button', { name: 'Create a class' }).click();
    const code = (await dash.locator('#class-code').textContent())!.trim();
    const students: (Player & { nickname: string; role: string })[] = [];
    for (const nickname of ['Ada', 'Linus']) {
      const p = await openPlayer(env.browser, `${env.server.url}/?class=${code}`);
      await setNickname(p.page, nickname);
      await p.page.getByRole('button', { name: 'Join a class' }).click();
      await p.page.getByRole('heading', { name: `Class ${code}` }).waitFor();
      students.push({ ...p, nickname, role: '' });
    }
    await dash.getByRole('heading', { name: 'Students (2)' }).waitFor();
    await dash.getByRole('button', { name: 'Form balanced teams' }).click();
    await expect.poll(() => dash.locator('ul.teams > li').count(), SLOW).toBe(2);

    // The map: the levels in teaching order, each with its line; an event picked beside level 6 ticks it.
    await expect(dash.locator('.teaching-map .map-label').allInnerTexts()).resolves.toEqual(['1', '2', '3', '4', '4e', '5', '6']);
    await expect(dash.locator('.map-step[data-map-level="7"] .map-teaches').innerText()).resolves.toBe('root → intermediate → bank: a certificate must chain to a CA, and a site cannot sign for others');
    await dash.getByLabel('Event for level 6').selectOption('lookalikeDomain');
    await expect.poll(() => dash.locator('#map-sequence').innerText(), SLOW).toBe('This match: 4 rounds — Level 1 · Postcard, then Level 6 · Chain of trust + A look-alike name.');
    await dash.getByLabel('Play level 1', { exact: true }).uncheck();
    await expect.poll(() => dash.locator('#map-sequence').innerText(), SLOW).toBe('This match: 2 rounds — Level 6 · Chain of trust + A look-alike name.');
    // By keyboard: Space on a level's tick adds it in its place in the teaching order, and takes it out again.
    await dash.getByLabel('Play level 4', { exact: true }).focus();
    await dash.keyboard.press('Space');
    await expect.poll(() => dash.locator('#map-sequence').innerText(), SLOW).toBe('This match: 4 rounds — Level 4 · Certified, then Level 6 · Chain of trust + A look-alike name.');
    await dash.getByLabel('Play level 4', { exact: true }).focus();
    await dash.keyboard.press('Space');
    await expect.poll(() => dash.locator('#map-sequence').innerText(), SLOW).toBe('This match: 2 rounds — Level 6 · Chain of trust + A look-alike name.');
    // The last level cannot go, and the line under the map says why.
    await dash.getByLabel('Play level 6', { exact: true }).click();
    await expect(dash.locator('#map-sequence').innerText()).resolves.toBe('A match needs one level at least: tick another level, then untick this one.');
    await expect(dash.getByLabel('Play level 6', { exact: true }).isChecked()).resolves.toBe(true);
    await expectAccessible(dash, 'the class setup with its map');
    await screenshot(dash, 'map-class-setup');
    await dash.getByRole('button', { name: '▶ Start match' }).click();

    // The students' round has the event: Alice's briefing and her browser's address.
    for (const s of students) s.role = await roleOf(s.page);
    const alice = students.find((s) => s.role === 'Client')!;
    const mallory = students.find((s) => s.role === 'Attacker')!;
    await expect(alice.page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: A look-alike name');
    await expect(dash.locator('.room-event').innerText()).resolves.toBe(' + A look-alike name');
    await mallory.page.getByRole('button', { name: 'I am ready' }).click();
    await alice.page.getByRole('button', { name: 'I am ready' }).click();
    await alice.page.getByRole('button', { name: 'Connect to bank-examp1e.example' }).click(SLOW);
    await alice.page.getByRole('button', { name: 'Send PIN and transfer' }).and(alice.page.locator(':enabled')).click(SLOW);
    expect(await outcomeOf(alice.page)).toBe('impersonated');

    // The teacher's dashboard: what Alice's play showed, beside her name; nothing for Mallory's.
    const shown = (nickname: string) => dash.locator(`td.misconceptions[data-student="${nickname}"]`);
    await expect.poll(() => shown(alice.nickname).innerText(), SLOW).toBe('accepted a look-alike name');
    await expect(shown(mallory.nickname).innerText()).resolves.toBe('—');
    await expect.poll(() => dash.locator('#advance').innerText(), SLOW).toContain('Round 2 (level 6 + A look-alike name, sides swapped) waits for you');
    await expectAccessible(dash, 'the dashboard after a round with an event');
    await screenshot(dash, 'map-dashboard-after');
    // Nobody else hears it: not the students, not the projector.
    for (const s of students) await expect(s.page.locator('body').innerText()).resolves.not.toContain('accepted a look-alike name');
    await dash.getByRole('button', { name: 'Projector view' }).click();
    await expect(dash.locator('#up-next').innerText()).resolves.toBe('Next: round 2, level 6 + A look-alike name, when the teacher says so. Sides swap.');
    await expect(dash.locator('body').innerText()).resolves.not.toContain('accepted a look-alike name');
    await screenshot(dash, 'map-projector-up-next');

    // The practice screen's map: a click plays level 4 with the rogue root.
    const practice = await openPlayer(env.browser, env.server.url);
    await setNickname(practice.page, 'Grace');
    await practice.page.getByRole('button', { name: 'Practise' }).click();
    const map = practice.page.locator('.map-panel');
    await map.getByRole('button', { name: 'Play level 1' }).waitFor(SLOW);
    await expect(map.getByRole('button', { name: 'Play level 1' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await map.locator('.map-step[data-map-level="4"]').getByRole('button', { name: '+ A rogue root' }).click();
    await practice.page.locator('.event-briefing[data-event="rogueRoot"]').waitFor(SLOW);
    await expect(practice.page.locator('#lobby-level').inputValue()).resolves.toBe('4');
    await expect(map.locator('.map-step[data-map-level="4"]').getByRole('button', { name: '+ A rogue root' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expectAccessible(practice.page, 'the practice screen with its map');
    await screenshot(practice.page, 'map-practice');

    for (const p of [teacher, ...students, practice]) expect(p.errors, 'browser console errors').toEqual([]);
    for (const p of [teacher, ...students, practice]) await p.context.close();
  }, 90_000);
});
