/**
 * Class set-up through the UI: the teacher creates a class and shows the projector view, four
 * students join by the QR code's address and a nickname, the teacher forms teams (balanced, then
 * by hand with the keyboard) and removes a student. The match is class-lesson.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, screenshot, setNickname, type Player } from './support/ui.ts';
import { nth } from '../support/nth.ts';

const env = useServerAndBrowser({ latencyMs: 200 });

describe('a class', () => {
  it('is set up from the teacher’s code: projector, students joining, teams by hand, a student removed', async () => {
    const teacher = await openPlayer(env.browser, env.server.url);
    await teacher.page.getByRole('button', { name: 'Create a class' }).click();
    const code = (await teacher.page.locator('#class-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{5}$/);

    // The projector: the code and a QR code that encodes the join address.
    await teacher.page.getByRole('button', { name: 'Projector view' }).click();
    await expect(teacher.page.locator('#projector-code').textContent()).resolves.toBe(code);
    const qr = teacher.page.getByRole('img', { name: `QR code to join class ${code}` });
    await qr.waitFor();
    await expect.poll(() => qr.evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(100);
    await expectAccessible(teacher.page, 'projector view');
    await screenshot(teacher.page, 'class-projector');
    await teacher.page.getByRole('button', { name: 'Back to the dashboard' }).click();

    const nicknames = ['Ada', 'Grace', 'Linus', 'Radia'];
    const students: Player[] = [];
    for (const nickname of nicknames) {
      // The QR code's address pre-fills the class code.
      const student = await openPlayer(env.browser, `${env.server.url}/?class=${code}`);
      await setNickname(student.page, nickname);
      await expect(student.page.getByRole('textbox', { name: 'Room or class code' }).inputValue()).resolves.toBe(code);
      await student.page.getByRole('button', { name: 'Join a class' }).click();
      await student.page.getByRole('heading', { name: `Class ${code}` }).waitFor();
      students.push(student);
    }
    await expectAccessible(nth(students, 0, 'student').page, 'student waiting screen');

    await teacher.page.getByRole('heading', { name: 'Students (4)' }).waitFor();
    await teacher.page.getByLabel('Teams').fill('2');
    await teacher.page.getByRole('button', { name: 'Form balanced teams' }).click();
    await expect.poll(() => teacher.page.locator('ul.teams > li').count()).toBe(2);
    for (const s of students) await s.page.locator('#my-team').waitFor();

    // Then by hand, by keyboard: each student's Team menu. Ada and Grace in the first team, Linus and Radia in the
    // second, so that at least two menus must move; auto-balance shuffles with the server's own random source, and
    // where it already made exactly that, the plan is the other way round (all four menus move).
    const teamNames = await teacher.page.getByLabel('Team for Ada').locator('option').allInnerTexts();
    const before = await teacher.page.locator('ul.teams').innerText();
    const pairedSo = (team: string) => new RegExp(`${team}: (Ada, Grace|Grace, Ada)`).test(before);
    const [teamA, teamB] = [nth(teamNames, 1, 'team'), nth(teamNames, 2, 'team')]; // after "No team (sits out)"
    const [first, second] = pairedSo(teamA) ? [teamB, teamA] : [teamA, teamB];
    const plan: Record<string, string> = { Ada: first, Grace: first, Linus: second, Radia: second };
    for (const [nickname, team] of Object.entries(plan)) {
      const picker = teacher.page.getByLabel(`Team for ${nickname}`);
      await picker.focus();
      for (let i = 0; i < 4 && (await picker.locator('option:checked').innerText()) !== team; i++) {
        const options = await picker.locator('option').allInnerTexts();
        const at = options.indexOf(await picker.locator('option:checked').innerText());
        await teacher.page.keyboard.press(options.indexOf(team) > at ? 'ArrowDown' : 'ArrowUp');
        await expect.poll(() => picker.locator('option:checked').innerText()).not.toBe(options[at]);
      }
      await expect.poll(() => teacher.page.getByLabel(`Team for ${nickname}`).locator('option:checked').innerText()).toBe(team);
      await expect.poll(() => teacher.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Team for ${nickname}`);
    }
    await expect.poll(() => teacher.page.locator('ul.teams').innerText()).toMatch(new RegExp(`${first}: (Ada, Grace|Grace, Ada)`));
    await expect.poll(() => teacher.page.locator('ul.teams').innerText()).toMatch(new RegExp(`${second}: (Linus, Radia|Radia, Linus)`));
    expect(before, 'the plan differs from what auto-balance made').not.toMatch(new RegExp(`${first}: (Ada, Grace|Grace, Ada)`));
    for (const [i, nickname] of nicknames.entries()) await expect.poll(() => nth(students, i, 'student').page.locator('#my-team').textContent()).toBe(plan[nickname]);
    // The Remove buttons stay inside the Students card at 1366 px.
    const overflow = await teacher.page.locator('.students-card').evaluate((card) => {
      const box = card.getBoundingClientRect();
      return [...card.querySelectorAll('button')].filter((b) => b.getBoundingClientRect().right > box.right).map((b) => b.textContent);
    });
    expect(overflow, 'buttons sticking out of the Students card').toEqual([]);
    await expectAccessible(teacher.page, 'teacher dashboard');
    await screenshot(teacher.page, 'class-dashboard');

    // The match itself, round after round, is class-lesson.test.ts.

    // The teacher removes a student: back to the landing page, told why.
    await teacher.page.getByRole('button', { name: 'Remove Radia' }).click();
    const radia = nth(students, 3, 'student');
    await radia.page.getByRole('heading', { name: 'Handshake Heist' }).waitFor();
    await radia.page.getByText(/teacher removed you/).waitFor();

    for (const p of [teacher, ...students]) expect(p.errors, 'browser console errors').toEqual([]);
    for (const p of [teacher, ...students]) await p.context.close();
  });
});
