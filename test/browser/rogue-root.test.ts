/**
 * A rogue root in the browser, practised alone against the bots with the event switched on in
 * the practice room's lobby, one page per seat:
 * - the client's seat: the café Wi-Fi's page asks her to install its certificate and nothing
 *   connects until she answers; she installs it, every check passes, the padlock shows, the
 *   inspector's path ends at the root she installed this round — and the debrief says the round
 *   was Impersonated because of that root, the CA having done nothing wrong;
 * - the attacker's seat: her portal's root and the bank.example certificate it signed are there
 *   for her; the careless Alice installs the root, and her gateway reads the session.
 * Screenshots of each screen go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, practiseEvent, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();

const text = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('a rogue root, in the browser', () => {
  it('from the client’s seat: she installs the café certificate, the padlock shows, and the debrief names the root', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseEvent(page, { nickname: 'Alice', role: /Client/ }, '4', 'rogueRoot', { seat: 'attacker', behaviour: 'none' });
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: A rogue root');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Client (you): Decide: install the café certificate, or refuse it.');
    await shoot(page, '.panel.level', 'rogue-root-lobby');
    await page.getByRole('button', { name: /Start the/ }).click();

    const portal = page.getByRole('group', { name: '☕ Café Wi-Fi: before you can browse' });
    await portal.waitFor();
    await expect(portal.innerText().then(text)).resolves.toContain('The certificate: Cafe Wi-Fi Root CA, signed by itself: a root CA certificate (cA TRUE), allowed to sign certificates.');
    await expect(portal.innerText().then(text)).resolves.toContain('whoever holds its private key can then sign a certificate for any site — bank.example too — and your browser will trust it.');
    await expect(page.getByRole('button', { name: 'I am ready' }).isDisabled()).resolves.toBe(true);
    await expectAccessible(page, 'client at the café Wi-Fi’s page');
    await screenshot(page, 'rogue-root-client-portal');
    await portal.getByRole('button', { name: 'Install the café certificate' }).click();
    await expect(page.locator('#portal-answer').innerText().then(text)).resolves.toBe('⚠ Warning: You installed the café certificate: “Cafe Wi-Fi Root CA” is in your trust store, beside the roots your browser came with. Open it in the inspector');

    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    await page.locator('#padlock').waitFor({ timeout: 60_000 });
    const checks = await page.getByRole('list', { name: 'Checks your browser ran' }).locator('li').allInnerTexts();
    expect(checks.filter((c) => c.includes('✘'))).toEqual([]);
    expect(checks.map(text)).toContain('✔ Passed: Issuer is a CA you trust: issued by "Cafe Wi-Fi Root CA", a CA in your trust store');
    await page.getByRole('button', { name: /^Open packet #\d+ Certificate in the inspector$/ }).click();
    await expect(page.locator('[data-key="path-anchor"]').innerText().then(text)).resolves.toBe(
      '⚠ Warning: Cafe Wi-Fi Root CA — in your trust store because you installed it this round (the café Wi-Fi’s certificate), not a root your browser came with: the path ends there',
    );
    await screenshot(page, 'rogue-root-client-padlock');
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('impersonated');
    await expect(page.locator('.scoreboard').innerText().then(text)).resolves.toContain(
      'Alice had installed “Cafe Wi-Fi Root CA”, the café Wi-Fi’s certificate — Mallory’s own root — so her browser took the bank.example certificate Mallory signed with it for the bank’s',
    );
    await expect(page.locator('.scoreboard').innerText().then(text)).resolves.toContain('The CA did nothing wrong — it never signed that certificate: Alice’s trust store was changed.');
    await expect(page.locator('.debrief').innerText().then(text)).resolves.toContain('DigiNotar (2011) showed that a root in the store is only as honest as the CA behind it.');
    await screenshot(page, 'rogue-root-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);

  it('from the attacker’s seat: her root and her bank.example certificate, the careless Alice installs it, and her gateway reads the PIN', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseEvent(page, { nickname: 'Mal', role: /Attacker/ }, '5', 'rogueRoot', { seat: 'client', behaviour: 'careless' });
    await page.getByRole('button', { name: /Start the/ }).click();
    const cafe = page.locator('.cafe-portal');
    await cafe.getByRole('heading', { name: 'Your café Wi-Fi portal' }).waitFor({ timeout: 30_000 });
    await expect(cafe.innerText().then(text)).resolves.toContain('With its key you signed a certificate for bank.example, for your own key');
    await expect(page.locator('#substitute').inputValue()).resolves.toBe('selfSignedCertificate');
    await shoot(page, '.role-panel.attacker', 'rogue-root-attacker-portal');
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.locator('#portal-alice', { hasText: 'Alice installed it' }).waitFor({ timeout: 30_000 });
    await expect(page.locator('#portal-alice').innerText().then(text)).resolves.toBe('✔ Passed: Alice installed it: “Cafe Wi-Fi Root CA” is in her trust store, so every certificate it signs passes her checks.');
    const read = page.locator('.findings li', { hasText: 'Read through your proxy: POST /transfer' });
    await read.waitFor({ timeout: 60_000 });
    expect(await read.innerText()).toMatch(/pin=\d{4}&to=\w+&amount=\d+/);
    await expectAccessible(page, 'attacker reading through her café root');
    await screenshot(page, 'rogue-root-attacker-read');
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('impersonated');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);
});
