/**
 * A lesson as a class plays it, in real browsers: a teacher and six students, two teams, four
 * rounds (levels 1 and 4, sides swapped each round). Every round is played by the students'
 * own clicks and must end the way their moves make it end. The teacher pauses and resumes
 * mid-round, lets a round advance by itself, holds the countdown and starts the next round by
 * hand, shows a room live on the projector, and ends the match mid-round; one student reloads
 * mid-round and another opens the game again in a second tab. The CSV holds every round.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { everyoneReady, openPlayer, outcomeOf, screenshot, setNickname, type Player } from './support/ui.ts';

const PUBLIC_URL = 'http://192.0.2.10:2567/';
const env = useServerAndBrowser({ latencyMs: 200, closingMs: 15_000, betweenRoundsMs: 8_000, prepareMs: 60_000 }, { publicUrl: PUBLIC_URL });

const NICKNAMES = ['Ada', 'Grace', 'Linus', 'Radia', 'Whit', 'Shafi'];
type Role = 'client' | 'server' | 'ca' | 'attacker';
const ROLE_BADGE: Record<Role, RegExp> = { client: /You: Client/, server: /You: Server/, ca: /You: Certificate authority/, attacker: /You: Attacker/ };

interface Student extends Player {
  nickname: string;
}

/** Who sits where this round, read off each student's own screen. */
async function seats(students: Student[]): Promise<Record<Role, Student[]>> {
  const bySeat: Record<Role, Student[]> = { client: [], server: [], ca: [], attacker: [] };
  for (const s of students) {
    await s.page.locator('#preparing-title').waitFor({ timeout: 30_000 }).catch(async (e) => {
      await screenshot(s.page, `dbg-${s.nickname}`);
      throw e;
    });
    const badge = (await s.page.locator('#my-role').textContent()) ?? '';
    const role = (Object.keys(ROLE_BADGE) as Role[]).find((r) => ROLE_BADGE[r].test(badge));
    expect(role, `${s.nickname}'s seat: ${badge}`).toBeDefined();
    bySeat[role!].push(s);
  }
  return bySeat;
}

async function expectOutcome(students: Student[], outcome: string): Promise<void> {
  for (const s of students) expect(await outcomeOf(s.page, 60_000), `${s.nickname}'s scoreboard`).toBe(outcome);
}

/** Level 1 as the attackers play it: Alice sends her PIN on a postcard, Mallory reads it off the wire and proves it. */
async function playLevel1(seat: Record<Role, Student[]>): Promise<void> {
  const [client, attacker] = [seat.client[0]!.page, seat.attacker[0]!.page];
  const pin = (await client.locator('.secret').textContent())!.trim();
  await client.getByRole('button', { name: 'Connect to bank.example' }).click();
  await client.getByRole('button', { name: 'Send PIN and transfer' }).and(client.locator(':enabled')).click();
  const request = attacker.locator('.captured').getByRole('button', { name: /HttpRequest/ }).first();
  await request.click();
  const fields = await attacker.locator('.inspector .field-tree').innerText();
  const stolen = /pin=(\d+)/.exec(fields)?.[1];
  expect(stolen, 'the PIN on the postcard').toBe(pin);
  await attacker.getByLabel('The secret you read (e.g. the PIN)').fill(stolen!);
  await attacker.getByRole('button', { name: 'Submit', exact: true }).click();
}

/** Level 4: the bank gets its certificate while preparing; Mallory presents one she signed herself; careful Alice aborts. */
async function prepareLevel4(seat: Record<Role, Student[]>, ca: Page): Promise<void> {
  const bank = seat.server[0]!.page;
  // The bank chooses what to have certified: the name Alice asks for, with the key level 4 seals to.
  await bank.getByRole('radio', { name: 'bank.example', exact: true }).check();
  await bank.getByRole('radio', { name: /RSA-2048 key/ }).check();
  await bank.getByRole('button', { name: /Ask the CA for a certificate/ }).click();
  const sign = ca.getByRole('button', { name: /Sign request \d+ for bank\.example/ });
  await sign.waitFor();
  await sign.click();
  await bank.getByText('The CA signed your certificate.').waitFor();
  await seat.attacker[0]!.page.getByLabel('Present as the bank:').selectOption('selfSignedCertificate');
}

async function playLevel4(seat: Record<Role, Student[]>): Promise<void> {
  const client = seat.client[0]!.page;
  await client.getByRole('button', { name: 'Connect to bank.example' }).click();
  // Her browser has HSTS for the bank: no click-through on a certificate error, only back (RFC 6797 §12.1).
  await client.getByRole('heading', { name: '⚠ No way through: go back' }).waitFor();
  await client.getByRole('button', { name: 'Go back', exact: true }).click();
}

describe('a lesson in real browsers', () => {
  it('plays round after round to the outcomes the students cause, with the teacher pressing buttons at awkward moments', async () => {
    const teacher = await openPlayer(env.browser, env.server.url);
    const dash = teacher.page;
    await dash.getByRole('button', { name: 'Create a class' }).click();
    const code = (await dash.locator('#class-code').textContent())!.trim();

    // The projector offers an address the students can reach, not the teacher's localhost.
    await dash.getByRole('button', { name: 'Projector view' }).click();
    await expect.poll(() => dash.locator('#projector-url').textContent()).toBe(`${PUBLIC_URL}?class=${code}`);
    await dash.getByRole('button', { name: 'Back to the dashboard' }).click();

    const students: Student[] = [];
    for (const nickname of NICKNAMES) {
      const p = await openPlayer(env.browser, `${env.server.url}/?class=${code}`);
      await setNickname(p.page, nickname);
      await p.page.getByRole('button', { name: 'Join a class' }).click();
      await p.page.getByRole('heading', { name: `Class ${code}` }).waitFor();
      students.push({ ...p, nickname });
    }
    await dash.getByRole('heading', { name: 'Students (6)' }).waitFor();
    await dash.getByLabel('Teams').fill('2');
    await dash.getByRole('button', { name: 'Form balanced teams' }).click();
    await expect.poll(() => dash.locator('ul.teams > li').count()).toBe(2);
    await dash.locator('input[data-level="4"]').check();
    await expect.poll(() => dash.locator('input[data-level="4"]').isChecked()).toBe(true);
    await dash.getByRole('button', { name: 'Start match' }).click();

    // ── Round 1, level 1. The teacher pauses and resumes while the students prepare. ──
    const round1 = await seats(students);
    expect(round1.attacker).toHaveLength(3);
    expect([round1.client, round1.server, round1.ca].map((s) => s.length)).toEqual([1, 1, 1]);
    await dash.getByRole('button', { name: '❚❚ Pause' }).click();
    await expect.poll(() => round1.client[0]!.page.locator('[data-key="speed-0"]').getAttribute('aria-pressed')).toBe('true');
    await dash.getByRole('button', { name: '▶ Resume' }).click();
    await expect.poll(() => round1.client[0]!.page.locator('[data-key="speed-1"]').getAttribute('aria-pressed')).toBe('true');
    await everyoneReady(students.map((s) => s.page));
    await playLevel1(round1);
    await expectOutcome(students, 'eavesdropped');
    // Between rounds: the countdown on the dashboard, each student told their next seat.
    await dash.getByText(/Round 2 \(level 1, sides swapped\) starts by itself in \d+ s/).waitFor();
    await expect(round1.attacker[0]!.page.locator('#up-next').textContent()).resolves.toMatch(/Next: round 2, level 1, in \d+ s\. You will be the (Client|Server|Certificate authority)/);
    await screenshot(dash, 'lesson-dashboard-countdown');

    // ── Round 2 starts by itself; the sides swap. A student reloads mid-round. ──
    const round2 = await seats(students);
    expect(round2.attacker.map((s) => s.nickname).sort()).toEqual([...round1.client, ...round1.server, ...round1.ca].map((s) => s.nickname).sort());
    const reloader = round2.server[0]!;
    await reloader.page.reload();
    await reloader.page.locator('#preparing-title').waitFor({ timeout: 30_000 });
    await expect(reloader.page.locator('#my-role').textContent()).resolves.toMatch(ROLE_BADGE.server);
    await everyoneReady(students.map((s) => s.page));
    await playLevel1(round2);
    await expectOutcome(students, 'eavesdropped');

    // The teacher holds the countdown for a debrief, then starts round 3 by hand.
    await dash.getByRole('button', { name: /Hold here/ }).click();
    await dash.getByText(/Round 3 \(level 4, sides swapped\) waits for you/).waitFor();
    // (That the held countdown never fires is class-lesson.test.ts on the drivable clock.)
    await expect(round2.client[0]!.page.locator('#up-next').textContent()).resolves.toMatch(/when the teacher says so/);
    expect(await dash.getByText('round 2 of 4').count()).toBe(1);
    await dash.getByRole('button', { name: 'Start the next round now' }).click();

    // ── Round 3, level 4. The CA's student opens the game again in a second tab. ──
    const round3 = await seats(students);
    const caStudent = round3.ca[0]!;
    const secondTab = await caStudent.context.newPage();
    await secondTab.goto(`${env.server.url}/?class=${code}`);
    await setNickname(secondTab, caStudent.nickname);
    await secondTab.getByRole('button', { name: 'Join a class' }).click();
    await secondTab.locator('#preparing-title').waitFor({ timeout: 30_000 });
    await expect(secondTab.locator('#my-role').textContent()).resolves.toMatch(ROLE_BADGE.ca);
    // The first tab is told why it stopped, and stays out of the way from now on.
    await caStudent.page.getByText('You are playing in another tab or window.').waitFor();
    await prepareLevel4(round3, secondTab);
    const pages = students.map((s) => (s === caStudent ? secondTab : s.page));
    // The teacher shows this room live on the projector while it plays.
    await dash.getByRole('button', { name: 'Projector view' }).click();
    await dash.getByRole('button', { name: /Show live: room [A-Z0-9]{5}/ }).click();
    await dash.locator('#watch-scope').waitFor();
    await everyoneReady(pages);
    await playLevel4(round3);
    // Read before the next round's countdown (8 s) ends: the projector first, then every student.
    expect(await outcomeOf(dash, 30_000), 'the projector shows the outcome').toBe('attackDetected');
    for (const page of pages) expect(await outcomeOf(page, 60_000)).toBe('attackDetected');
    await screenshot(dash, 'lesson-projector-live-debrief');
    await dash.getByRole('button', { name: 'Leave' }).click();
    await dash.getByRole('button', { name: 'Back to the dashboard' }).click();

    // ── Round 4 starts by itself; the teacher ends the match before anyone is ready. ──
    await seats(students.map((s) => (s === caStudent ? { ...s, page: secondTab } : s)));
    await dash.getByRole('button', { name: '■ End match' }).click();
    await dash.getByText('Match over').first().waitFor();
    for (const page of pages) {
      await page.getByText('The teacher ended the match.').first().waitFor();
      await page.getByRole('heading', { name: `Class ${code}` }).waitFor();
    }

    // The CSV has every round: three played to their outcomes, the fourth interrupted.
    const download = dash.waitForEvent('download');
    await dash.getByRole('button', { name: /Export results/ }).click();
    const csv = fs.readFileSync((await (await download).path())!, 'utf8');
    const rows = csv.trim().split(/\r?\n/).slice(1).map((line) => line.split(','));
    const outcomeOfRound = (n: number) => [...new Set(rows.filter((r) => r[0] === String(n)).map((r) => r[3]))];
    expect(outcomeOfRound(1)).toEqual(['"eavesdropped"']);
    expect(outcomeOfRound(2)).toEqual(['"eavesdropped"']);
    expect(outcomeOfRound(3)).toEqual(['"attackDetected"']);
    expect(outcomeOfRound(4)).toEqual(['"interrupted"']);
    for (const n of [1, 2, 3]) for (const nickname of NICKNAMES) expect(rows.some((r) => r[0] === String(n) && r[5] === `"${nickname}"`), `${nickname} in round ${n}`).toBe(true);

    for (const p of [teacher, ...students]) expect(p.errors.filter((e) => !/WebSocket|ERR_CONNECTION|1006/.test(e)), 'browser console errors').toEqual([]);
    for (const p of [teacher, ...students]) await p.context.close();
  }, 300_000);
});
