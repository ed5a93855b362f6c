/**
 * Certificate Transparency in the browser (issue 16, item 7), practised alone against the bots
 * with the event switched on in the lobby, a sloppy CA bot in the CA's seat. One page per seat:
 * - the attacker's seat: Mallory asks the CA for bank.example, the sloppy CA signs and logs it,
 *   her proxy shows it, and careful Alice's browser — which requires an SCT — takes it:
 *   Impersonated; but the public log on her screen holds her certificate beside the bank's, and
 *   the referee says the bank's monitor spotted it;
 * - the client's seat, from the practice screen's map, against the fraudulent-CSR bot: her
 *   browser's checks include the SCT, which passes — the certificate was logged — and the debrief
 *   says what the log made visible.
 * Screenshots go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, practiseEvent, practiseFromMap, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();
const EVENT = 'certificateTransparency';
const SPOTTED = "The certificate went into the public CT log, and the bank's log monitor spotted a bank.example certificate it never asked for: Certificate Transparency did not stop this first attack, it made the mis-issuance visible — the bank would now ask the CA to revoke it.";

describe('Certificate Transparency, in the browser', () => {
  it('the attacker’s seat: a sloppy CA signs bank.example for her; Alice’s browser takes it — Impersonated — but the public log shows it, and the bank’s monitor spotted it', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseEvent(page, { nickname: 'Mal', role: /Attacker/ }, '5', EVENT, { seat: 'client', behaviour: 'careful' });
    await page.locator('select[data-bot="ca"]').selectOption('sloppy');
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: Certificate Transparency');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Attacker (you): Ask the CA for bank.example.');
    await shoot(page, '.panel.level', 'certificate-transparency-lobby');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: '4×' }).click();
    await page.getByText('More tools: inject, ask the CA, try a key').click();
    await page.getByLabel('For the name').fill('bank.example');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.locator('#substitute option[value="issuedCertificate"]:not([disabled])').waitFor({ state: 'attached', timeout: 30_000 });
    await page.locator('#substitute').selectOption('issuedCertificate');
    // The log is public: her screen shows both bank.example certificates, the bank's and hers.
    const log = page.locator('.ct-log');
    await expect(log.locator('.ct-entries li').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^#0 bank\.example\nHeist Root CA, serial \d+, key [0-9a-f]{12}…\nlogged /), expect.stringMatching(/^#1 bank\.example\nHeist Root CA, serial \d+, key [0-9a-f]{12}…\nlogged /)]);
    await expect(log.locator('[data-key="ct-tree-head"]').innerText()).resolves.toMatch(/^Tree head: 2 entries, root hash [0-9a-f]{16}… — the Merkle tree hash over every entry \(RFC 6962 §2\.1\): change or remove one and it changes\.$/);
    await shoot(page, '.ct-log', 'certificate-transparency-attacker-log');
    await page.getByRole('button', { name: 'I am ready' }).click();
    expect(await outcomeOf(page, 60_000)).toBe('impersonated');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain(SPOTTED);
    await expect(page.locator('.debrief').innerText()).resolves.toContain('Certificate Transparency makes mis-issuance visible, not impossible');
    await expectAccessible(page, 'the debrief of a mis-issued certificate, logged');
    await screenshot(page, 'certificate-transparency-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);

  it('the client’s seat: her browser requires an SCT, and the mis-issued certificate has one — every check passes, and the debrief says the log made it visible', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practiseFromMap(page, { nickname: 'Alice', role: /Client/ }, '5', EVENT, 'Certificate Transparency');
    await expect(page.locator('.map-panel .map-events dt:text-is("Certificate Transparency") + dd').textContent()).resolves.toBe('every certificate goes into a public log: a mis-issued one is seen — after its first use (level 5)');
    await page.locator('select[data-bot="ca"]').selectOption('sloppy');
    // The event's own attack: picking it on the map set the attacker bot to it.
    await expect.poll(() => page.locator('select[data-bot="attacker"]').inputValue(), { message: 'the attacker bot the lobby shows' }).toBe('fraudulentCsr');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: '4×' }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await expect(page.locator('#my-ct').innerText()).resolves.toBe('Your browser is up to date — it requires Certificate Transparency: a certificate without a signed timestamp (SCT) from a public log is refused.');
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click({ timeout: 60_000 });
    const checks = page.getByRole('list', { name: 'Checks your browser ran' }).locator('li');
    await expect(checks.allInnerTexts().then((all) => all.map((c) => c.replace(/\s+/g, ' ').trim()))).resolves.toContainEqual(
      expect.stringMatching(/^✔ Passed: Logged in public: a valid SCT \(Certificate Transparency\): logged: an SCT from Heist CT Log, signed \d{4}-\d\d-\d\d \d\d:\d\d UTC, verifies — anyone watching the log can see this certificate$/),
    );
    await shoot(page, '.role-panel', 'certificate-transparency-client-checks');
    expect(await outcomeOf(page, 60_000)).toBe('impersonated');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain(SPOTTED);
    await shoot(page, '.ct-log', 'certificate-transparency-client-log');
    await screenshot(page, 'certificate-transparency-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);
});
