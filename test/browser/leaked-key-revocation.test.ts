/**
 * A leaked key, revoked, in the browser (issue 16, item 2): level 5 practised alone against the
 * bots, with the event switched on. One page per seat:
 * - the CA's seat: the bank's request to revoke waits for it (it cannot say ready first); it
 *   revokes, and its panel says what its OCSP responder now answers;
 * - the attacker's seat, against a careless Alice (soft-fail): Mallory shows the bank's own
 *   certificate with her proxy; the CA bot revoked it, she staples nothing, and Alice's browser
 *   goes on — Impersonated, in words that say soft-fail;
 * - the client's seat, chosen on the practice screen's map, against the fake-certificate bot:
 *   her hard-fail browser finds no OCSP answer and offers no way through, only back;
 * - the client's seat again, with a soft-fail browser (the room's client behaviour careless, set
 *   before she takes the seat) at a bank with short-lived certificates: the stolen certificate
 *   ran out 13 days ago, her browser asks nothing about revocation but flags the dates, and she aborts.
 * Screenshots go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, practiseEvent, practiseFromMap, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();
const EVENT = 'leakedKeyRevocation';

const practise = (page: Page, nickname: string, role: RegExp, bot: { seat: 'client' | 'attacker'; behaviour: string }) => practiseEvent(page, { nickname, role }, '5', EVENT, bot);

describe('a leaked key, revoked, in the browser', () => {
  it('the CA’s seat: the bank’s request waits for an answer before the CA may say ready; it revokes', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Cal', /Certificate authority/, { seat: 'attacker', behaviour: 'fakeCertificate' });
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Certificate authority (you): The bank asks you to revoke: check, then decide.');
    await page.getByRole('button', { name: /Start the/ }).click();
    const request = page.locator('#revocation-request');
    await request.waitFor({ timeout: 30_000 });
    await expect(request.locator('h3').innerText()).resolves.toMatch(/^Revocation request: certificate \d+ for bank\.example$/);
    await expect(request.innerText()).resolves.toContain('signed with the certificate’s own private key (RFC 8555 §7.6): whoever sent it holds that key');
    await expect(page.getByRole('button', { name: 'I am ready' }).isDisabled()).resolves.toBe(true);
    await expectAccessible(page, 'the CA’s revocation request');
    await shoot(page, '#revocation-request', 'leaked-key-ca-request');
    await request.getByRole('button', { name: 'Revoke it' }).click();
    await expect(request.locator('[data-key="revocation-answer"]').innerText()).resolves.toContain('You revoked it: your OCSP responder now says “revoked”.');
    // Answered, the CA may say it is ready (the bots then play the round, as the matrix checks).
    await expect(page.getByRole('button', { name: 'I am ready' }).isEnabled()).resolves.toBe(true);
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 30_000);

  it('the attacker’s seat: she shows the bank’s own certificate; revoked, she staples nothing, and the careless Alice’s soft-fail browser goes on', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Mal', /Attacker/, { seat: 'client', behaviour: 'careless' });
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: A leaked key, revoked');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Attacker (you): Show Alice the bank’s own certificate.');
    await shoot(page, '.event-briefing', 'leaked-key-lobby-briefing');
    await page.getByRole('button', { name: /Start the/ }).click();
    const stolen = page.locator('#stolen-certificate');
    await stolen.waitFor({ timeout: 30_000 });
    // The CA bot answers the bank while the round prepares: her panel follows what its responder says.
    await expect.poll(() => stolen.locator('[role="status"]').innerText(), { timeout: 15_000 }).toContain('The CA’s OCSP responder says: revoked. Your gateway will staple no answer — a soft-fail browser goes on anyway.');
    await expect(page.locator('#substitute option[value="issuedCertificate"]').textContent()).resolves.toBe('the bank’s own certificate (its key leaked to you)');
    await page.locator('#substitute').selectOption('issuedCertificate');
    await expect.poll(() => page.locator('#substitute').inputValue()).toBe('issuedCertificate');
    await shoot(page, '.role-panel', 'leaked-key-attacker-panel');
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 30_000)).toBe('impersonated');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain('Alice’s browser asked the CA itself, Mallory’s Wi-Fi dropped the question, and the browser went on without an answer: soft-fail.');
    await expectAccessible(page, 'the debrief of a soft-fail');
    await screenshot(page, 'leaked-key-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 30_000);

  it('the client’s seat: her hard-fail browser finds no OCSP answer on Mallory’s certificate and offers only a way back', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseFromMap(page, { nickname: 'Alice', role: /Client/ }, '5', EVENT, 'A leaked key, revoked');
    await expect(page.locator('.map-panel .map-events dt:text-is("A leaked key, revoked") + dd').textContent()).resolves.toBe('a stolen key keeps its valid certificate until the CA revokes it — and only a browser that insists on the CA’s answer notices (levels 4, 4e, 5, 6)');
    // The event's own attack: picking it on the map set the attacker bot to show the stolen certificate.
    await expect.poll(() => page.locator('select[data-bot="attacker"]').inputValue(), { message: 'the attacker bot the lobby shows' }).toBe('fakeCertificate');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    await expect(page.locator('#my-revocation').innerText()).resolves.toBe('Revocation: your browser asks the bank for the CA’s OCSP answer (stapled) and is hard-fail — without a good answer it refuses the certificate.');
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    const decision = page.locator('.decision');
    await decision.waitFor({ timeout: 30_000 });
    await expect(decision.innerText()).resolves.toContain('the certificate’s revocation check failed: browsers offer no way through, only back');
    await expect(page.locator('.browser-checks').innerText()).resolves.toContain('no OCSP answer stapled, and this browser requires one (hard-fail): it refuses the certificate');
    await expectAccessible(page, 'Alice’s refused certificate');
    await shoot(page, '.role-panel', 'leaked-key-client-refused');
    await decision.getByRole('button', { name: 'Go back' }).click();
    expect(await outcomeOf(page, 30_000)).toBe('attackDetected');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain('The CA had revoked it, and Alice’s browser checked: no OCSP answer stapled, and this browser requires one (hard-fail): it refuses the certificate. She went back.');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 30_000);

  it('the client’s seat, soft-fail, at a bank with short-lived certificates: the stolen one has run out, her browser says so, and she aborts', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    // The room's client is careless (a soft-fail browser, no HSTS) and its bank short-lived; then she takes the client's seat.
    await practise(page, 'Alice', /Certificate authority/, { seat: 'client', behaviour: 'careless' });
    await expect(page.locator('select[data-bot="server"] option[value="shortLived"]').textContent()).resolves.toBe('short-lived certificates (6-day ones, a new key each time)');
    await page.locator('select[data-bot="server"]').selectOption('shortLived');
    await expect.poll(() => page.locator('select[data-bot="server"]').inputValue()).toBe('shortLived');
    await page.getByRole('button', { name: /Take the Client seat/ }).click();
    await expect.poll(() => page.locator('select[data-bot="attacker"]').inputValue(), { message: 'the event’s attack' }).toBe('fakeCertificate');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    await expect(page.locator('#my-revocation strong').innerText()).resolves.toBe('soft-fail');
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    const decision = page.locator('.decision');
    await decision.waitFor({ timeout: 30_000 });
    await expect(decision.locator('.checks li').count()).resolves.toBe(1);
    await expect(decision.locator('.checks').innerText()).resolves.toContain('Not expired: expired: valid until 2027-01-02 00:00 UTC');
    await expect(page.locator('.browser-checks').innerText()).resolves.toContain('no OCSP answer needed: a 160-hour certificate is short-lived (under 10 days)');
    await expectAccessible(page, 'Alice’s expired stolen certificate');
    await shoot(page, '.role-panel', 'leaked-key-short-lived-client-warned');
    await decision.getByRole('button', { name: 'Abort' }).click();
    expect(await outcomeOf(page, 30_000)).toBe('attackDetected');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain('the bank orders short-lived certificates, and this 160-hour one had run out 13 days before: Alice’s browser refused it on its dates');
    await screenshot(page, 'leaked-key-short-lived-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 30_000);
});
