/**
 * A first visit (HSTS) in the browser (issue 16, item 9), practised alone against the bots with
 * the event switched on in the lobby. One page per seat:
 * - the attacker's seat, level 4, against a careless Alice (a browser without the preload list):
 *   Mallory strips HTTPS, Alice's first request is plain http://, Mallory's findings show the PIN,
 *   Alice takes Mallory's plain answer for the bank's — Impersonated, the referee naming the
 *   missing HSTS rule (the engine test has the strip bot's proof: Eavesdropped);
 * - the client's seat, level 5 from the practice screen's map, against the strip bot: Alice's browser carries bank.example on its
 *   preload list, goes straight to https://, and after the transfer her panel says what it noted
 *   from the bank's Strict-Transport-Security header — Secure.
 * And a returning visit (HSTS max-age), the same way:
 * - the attacker's seat, level 4, against a careless bank, whose header kept HSTS a month: Alice
 *   was there 40 days ago, her entry ran out, and Mallory strips her as on a first visit —
 *   Impersonated, the referee naming max-age;
 * - the client's seat, level 5, against the standard bank's year and Mallory's fake certificate:
 *   her entry holds, so the certificate error offers no way through (RFC 6797 §12.1), only back —
 *   Attack detected.
 * And HSTS and subdomains (includeSubDomains): Alice was at bank.example 10 days ago and is sent to
 * http://login.bank.example/:
 * - the attacker's seat, level 4, against a careless bank, whose header lacked includeSubDomains:
 *   the entry does not cover the login page, and Mallory strips it — Impersonated, the referee
 *   naming includeSubDomains;
 * - the client's seat, level 5, against the standard bank and the strip bot: the entry covers the
 *   login page, straight to https://login.bank.example/ — Secure.
 * Screenshots go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, practiseEvent, practiseFromMap, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();
const EVENT = 'hstsFirstVisit';
const RETURNING = 'hstsReturningVisit';
const SUBDOMAIN = 'hstsSubdomain';

describe('a first visit (HSTS), in the browser', () => {
  it('the attacker’s seat: she strips a browser without the preload list and reads the PIN — Impersonated, the missing rule named', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseEvent(page, { nickname: 'Mal', role: /Attacker/ }, '4', EVENT, { seat: 'client', behaviour: 'careless' });
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: A first visit (HSTS)');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Attacker (you): Strip HTTPS: catch the plain request.');
    await shoot(page, '.panel.level', 'hsts-first-visit-lobby');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'Strip HTTPS (hide the redirect to https://)' }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    const read = page.locator('.findings li', { hasText: 'Read in plain HTTP: POST /transfer' });
    await read.waitFor({ timeout: 60_000 });
    const pin = /pin=(\d{4})/.exec(await read.innerText())?.[1];
    expect(pin).toMatch(/^\d{4}$/);
    await page.getByText('You pass the answer on in plain HTTP without it.').first().waitFor();
    // Alice took Mallory's plain answer for the bank's: the referee judges at once (a proof would not outrank it).
    expect(await outcomeOf(page, 60_000)).toBe('impersonated');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain(
      'Alice took Mallory’s plain answers for the bank’s, no padlock asked for. HSTS from a visit cannot protect a first visit (RFC 6797 §14.6); the preload list (§12.3) would have sent the browser straight to https://',
    );
    await expect(page.locator('.debrief').innerText()).resolves.toContain('Only a preload list built into the browser (§12.3) protects a first visit.');
    await expectAccessible(page, 'the debrief of a stripped first visit');
    await shoot(page, '.scoreboard', 'hsts-first-visit-attacker-scoreboard');
    await screenshot(page, 'hsts-first-visit-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);

  it('the client’s seat: bank.example is on her browser’s preload list — straight to https://, Secure, and the header noted for a year', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    // From the practice screen's map: level 5's line offers the event, and the legend says what it teaches.
    await practiseFromMap(page, { nickname: 'Alice', role: /Client/ }, '5', EVENT, 'A first visit (HSTS)');
    await expect(page.locator('.map-panel .map-events dt:text-is("A first visit (HSTS)") + dd').textContent()).resolves.toBe(
      'HSTS protects only a name the browser already knows: the first visit needs the preload list (levels 4, 5)',
    );
    await shoot(page, '.map-panel', 'hsts-first-visit-practice-map');
    await page.locator('select[data-bot="attacker"]').selectOption('strip');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    await expect(page.locator('#my-browser').innerText()).resolves.toBe('Your browser: your first visit to bank.example, but it is on your browser’s preload list — it goes straight to https://.');
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click({ timeout: 60_000 });
    await expect(page.locator('#my-hsts-noted').innerText({ timeout: 60_000 })).resolves.toBe(
      'HSTS noted: bank.example and every name under it, HTTPS-only for 365 days — from the bank’s Strict-Transport-Security header, over HTTPS.',
    );
    await shoot(page, '.role-panel', 'hsts-first-visit-client-noted');
    expect(await outcomeOf(page, 60_000)).toBe('secure');
    const checks = await page.getByRole('list', { name: 'Checks your browser ran' }).locator('li').allInnerTexts();
    expect(checks.map((c) => c.replace(/\s+/g, ' ').trim())).toContain(
      "✔ Passed: HSTS: bank.example is HTTPS-only: bank.example is on the browser's HSTS list (preloaded: built into the browser, RFC 6797 §12.3 — no earlier visit needed): it went straight to HTTPS, without a plain http:// request to strip",
    );
    await screenshot(page, 'hsts-first-visit-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);
});

describe('a returning visit (HSTS max-age), in the browser', () => {
  it('the attacker’s seat: the careless bank’s month ran out, so she strips a returning Alice — Impersonated, max-age named', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseEvent(page, { nickname: 'Mal', role: /Attacker/ }, '4', RETURNING, { seat: 'server', behaviour: 'careless' });
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: A returning visit (HSTS max-age)');
    await shoot(page, '.panel.level', 'hsts-returning-visit-lobby');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'Strip HTTPS (hide the redirect to https://)' }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    await page.locator('.findings li', { hasText: 'Read in plain HTTP: POST /transfer' }).waitFor({ timeout: 60_000 });
    expect(await outcomeOf(page, 60_000)).toBe('impersonated');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain(
      'Alice had visited bank.example 40 days ago, and her browser noted the bank’s header then — Strict-Transport-Security: max-age=2592000; includeSubDomains — but its max-age ran out 10 days ago (RFC 6797 §6.1.1)',
    );
    await expect(page.locator('.debrief').innerText()).resolves.toContain('A returning visit: HSTS lasts max-age seconds from the last header the browser received over HTTPS');
    await screenshot(page, 'hsts-returning-visit-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);

  it('the client’s seat: the standard bank’s year still holds — a forged certificate offers no way through, only back: Attack detected', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseEvent(page, { nickname: 'Alice', role: /Client/ }, '5', RETURNING, { seat: 'attacker', behaviour: 'fakeCertificate' });
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    await expect(page.locator('#my-browser').innerText()).resolves.toBe(
      'Your browser: you were at bank.example 40 days ago, and its HSTS entry holds 325 more days — the bank said max-age=31536000; includeSubDomains (max-age: 365 days), so it goes straight to https://, and a certificate error has no way through.',
    );
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    const decision = page.getByRole('group', { name: '⚠ No way through: go back' });
    await expect(decision.innerText({ timeout: 60_000 })).resolves.toContain('bank.example is on your browser’s HSTS list: on a certificate error it offers no way through, only back (RFC 6797 §12.1)');
    await shoot(page, '.role-panel', 'hsts-returning-visit-client-no-way-through');
    await decision.getByRole('button', { name: 'Go back' }).click();
    expect(await outcomeOf(page, 60_000)).toBe('attackDetected');
    await screenshot(page, 'hsts-returning-visit-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);
});

describe('HSTS and subdomains (includeSubDomains), in the browser', () => {
  it('the attacker’s seat: the careless bank’s header lacked includeSubDomains, so she strips Alice at login.bank.example — Impersonated, includeSubDomains named', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseEvent(page, { nickname: 'Mal', role: /Attacker/ }, '4', SUBDOMAIN, { seat: 'server', behaviour: 'careless' });
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: HSTS and subdomains (includeSubDomains)');
    await shoot(page, '.panel.level', 'hsts-subdomain-lobby');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'Strip HTTPS (hide the redirect to https://)' }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 60_000)).toBe('impersonated');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain('but without includeSubDomains it covers bank.example alone (RFC 6797 §6.1.2, §8.2): Mallory’s message sent her to http://login.bank.example/');
    await screenshot(page, 'hsts-subdomain-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);

  it('the client’s seat: the standard bank’s includeSubDomains covers the login page — straight to https://login.bank.example/, Secure', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseEvent(page, { nickname: 'Alice', role: /Client/ }, '5', SUBDOMAIN, { seat: 'attacker', behaviour: 'strip' });
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    await expect(page.locator('#my-browser').innerText()).resolves.toBe(
      'Your browser: you were at bank.example 10 days ago, and its HSTS entry covers login.bank.example too — the bank said max-age=31536000; includeSubDomains, so it goes straight to https://, and a certificate error has no way through.',
    );
    await shoot(page, '.role-panel', 'hsts-subdomain-client-covered');
    await page.getByRole('button', { name: 'Connect to login.bank.example' }).click();
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click({ timeout: 60_000 });
    expect(await outcomeOf(page, 60_000)).toBe('secure');
    const checks = await page.getByRole('list', { name: 'Checks your browser ran' }).locator('li').allInnerTexts();
    expect(checks.map((c) => c.replace(/\s+/g, ' ').trim())).toContain(
      "✔ Passed: HSTS: bank.example is HTTPS-only: login.bank.example is on the browser's HSTS list (noted on an earlier visit, for max-age: 355 more days, RFC 6797 §6.1.1, by the entry for bank.example with includeSubDomains, RFC 6797 §6.1.2): it went straight to HTTPS, without a plain http:// request to strip",
    );
    await screenshot(page, 'hsts-subdomain-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);
});
