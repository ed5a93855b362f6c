/**
 * Names and dates in the browser, practised alone against the bots, with the event switched on
 * in the practice room's lobby (the host's Event select):
 * - a look-alike name, from the client's seat: the address bar says bank-examp1e.example, every
 *   check passes and the padlock shows — and the round is Impersonated, the debrief saying why;
 * - a look-alike name, from the attacker's seat: she holds the honest certificate for her name,
 *   Alice's browser reaches her site, and her proxy reads the PIN;
 * - an expired certificate, from the client's seat: the browser names the date check, offers no
 *   way through (HSTS), and going back is the bank's error, "Wrong certificate".
 * Screenshots of each screen go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();


/** From the landing page into a practice round of `level` in one seat, with `event` switched on in the lobby (and the attacker bot as given). */
async function practise(page: Page, nickname: string, role: RegExp, level: string, event: string, attacker?: string): Promise<void> {
  await page.getByLabel('Your nickname').fill(nickname);
  await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('Level', { exact: true }).selectOption(level);
  await page.getByRole('button', { name: 'Practise' }).click();
  if (attacker) await page.locator('select[data-bot="attacker"]').selectOption(attacker);
  await page.locator('#lobby-event').selectOption(event, { timeout: 60_000 });
  await page.locator(`.event-briefing[data-event="${event}"]`).waitFor();
}

describe('names and dates, in the browser', () => {
  it('a look-alike name, from the client’s seat: every check passes for bank-examp1e.example — Impersonated', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Alice', /Client/, '4', 'lookalikeDomain', 'none');
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: A look-alike name');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Client (you): Look at the name in your address bar before you send your PIN.');
    await expectAccessible(page, 'lobby with the look-alike event');
    await shoot(page, '.panel.level', 'names-lookalike-lobby');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await expect(page.locator('#client-target').innerText()).resolves.toBe('bank-examp1e.example');
    await page.getByRole('button', { name: 'Connect to bank-examp1e.example' }).click();
    await page.locator('#padlock').waitFor({ timeout: 60_000 });
    const checks = await page.getByRole('list', { name: 'Checks your browser ran' }).locator('li').allInnerTexts();
    expect(checks.filter((c) => c.includes('✘'))).toEqual([]);
    expect(checks.map((c) => c.replace(/\s+/g, ' ').trim())).toContain('✔ Passed: Name matches the site you asked for: the certificate is for bank-examp1e.example (its subjectAltName), the site you asked for');
    await expect(page.locator('#padlock').innerText()).resolves.toContain('the private key of a certificate for bank-examp1e.example that a CA you trust signed; not that the site is honest');
    await expect(page.locator('#my-browser').innerText()).resolves.toBe('Your browser: no HSTS entry for bank-examp1e.example — it asks http:// first and follows that site’s redirect to https://.');
    await screenshot(page, 'names-lookalike-client-padlock');
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('impersonated');
    await expect(page.locator('.scoreboard').innerText()).resolves.toContain('Alice followed a link to bank-examp1e.example, not bank.example');
    await expect(page.locator('.debrief').innerText()).resolves.toContain('HTTPS proves that you reach the name you asked for, not that you asked for the right one');
    await screenshot(page, 'names-lookalike-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);

  it('a look-alike name, from the attacker’s seat: her honest certificate for her own name, and her site reads the PIN', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Mal', /Attacker/, '5', 'lookalikeDomain');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByText('bank-examp1e.example, issued by Heist Root CA').waitFor({ timeout: 30_000 });
    await screenshot(page, 'names-lookalike-attacker-preparing');
    await page.getByRole('button', { name: 'I am ready' }).click();
    const read = page.locator('.findings li', { hasText: 'Read through your proxy: POST /transfer' });
    await read.waitFor({ timeout: 60_000 });
    const pin = /pin=(\d{4})/.exec(await read.innerText())?.[1];
    expect(pin).toMatch(/^\d{4}$/);
    await expectAccessible(page, 'attacker with the look-alike site');
    await screenshot(page, 'names-lookalike-attacker-read');
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('impersonated');
    await screenshot(page, 'names-lookalike-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);

  it('an expired certificate, from the client’s seat: the date check fails, she goes back — Wrong certificate, the bank’s error', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Alice', /Client/, '5', 'expiredCertificate', 'none');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    const decision = page.getByRole('group', { name: '⚠ No way through: go back' }); // her browser has HSTS for the bank
    await decision.waitFor({ timeout: 60_000 });
    const failed = await page.getByRole('list', { name: 'Failed checks' }).locator('li').allInnerTexts();
    expect(failed.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^✘ Failed: .*: expired: valid until 2027-01-12 08:00 UTC, it is now 2027-01-15 08:0\d UTC$/),
    ]);
    await expectAccessible(page, 'client facing an expired certificate');
    await screenshot(page, 'names-expired-client-warning');
    await decision.getByRole('button', { name: 'Go back' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('misconfigured');
    await expect(page.locator('.scoreboard').innerText()).resolves.toContain('the bank forgot to renew it — an operator\'s error, not an attack, and no false alarm');
    await screenshot(page, 'names-expired-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);
});
