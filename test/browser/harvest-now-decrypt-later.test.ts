/**
 * Harvest now, decrypt later in the browser (issue 16, item 10): level 5 practised alone against
 * the bots, with the event switched on in the lobby. One page per seat:
 * - the attacker's seat, against a careless Alice (an old browser: X25519 alone): Mallory only
 *   listens; years later the debrief hands her the X25519 secret (said as a story) and her
 *   recording opens to Alice's request, PIN included — Eavesdropped; the leak table's quantum rows;
 * - the client's seat, a careful Alice (up to date: X25519MLKEM768 first): her panel says so, the
 *   inspector names her share's ML-KEM and X25519 parts, and the same gift years later leaves the
 *   recording sealed — Secure.
 * Screenshots go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, practiseEvent, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();
const EVENT = 'harvestNowDecryptLater';

/** Level 5 practised in one seat with the event on (and the client bot as given). */
const practise = (page: Page, nickname: string, role: RegExp, client?: string) => practiseEvent(page, { nickname, role }, '5', EVENT, client ? { seat: 'client', behaviour: client } : undefined);

const rowsOf = async (page: Page, table: string) => (await page.locator(`${table} tbody tr`).allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());

describe('harvest now, decrypt later, in the browser', () => {
  it('the attacker’s seat: she only listens to an old browser, and years later her recording opens to Alice’s PIN', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Mal', /Attacker/, 'careless');
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: Harvest now, decrypt later');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Attacker (you): Just listen, and keep the recording.');
    await shoot(page, '.panel.level', 'harvest-lobby-briefing');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('eavesdropped');
    const pin = /she reads the PIN (\d+) and the order/.exec(await page.locator('.scoreboard .summary').innerText())?.[1];
    expect(pin).toMatch(/^\d{4,}$/);
    const harvest = page.getByRole('region', { name: 'Years later, a quantum computer breaks X25519…' });
    await expect(harvest.getAttribute('data-opened')).resolves.toBe('true');
    await expect(harvest.locator('.muted').first().innerText()).resolves.toMatch(/^This part is a story: no quantum computer today can break X25519, and the game breaks nothing\./);
    await expect(harvest.locator('.harvest-secret').innerText()).resolves.toMatch(/^[0-9a-f]{64}$/);
    expect((await harvest.locator('.leak-verdict').innerText()).trim()).toBe('Her recording opens: she reads the PIN.');
    // Alice's request as it crossed the Wi-Fi, CRLFs and all.
    await expect(harvest.locator('.harvest-request').innerText()).resolves.toMatch(
      new RegExp(`^POST /transfer HTTP/1\\.1\\r\\nHost: bank\\.example\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\nContent-Length: \\d+\\r\\n\\r\\npin=${pin}&to=(Bob|Carol|Dave|Erin)&amount=\\d+$`),
    );
    expect(await rowsOf(page, '.harvest-compare')).toEqual([
      'X25519 alone (0x001D) (this round) an old browser ✘ Failed: opens the X25519 secret is the whole key-exchange secret',
      'X25519MLKEM768 (0x11EC): ML-KEM-768 + X25519 Chrome, Edge, Firefox and Safari today ✔ Passed: stays sealed the keys need ML-KEM’s secret too, and the quantum computer does not give it',
    ]);
    const leak = page.getByRole('region', { name: 'Later, the bank’s private key leaks…' });
    expect((await leak.locator('tbody th').allInnerTexts()).map((t) => t.trim())).toEqual(['Level 4', 'Level 4e', 'Level 5', 'Level 5, years later: a quantum computer (this round)', 'Level 5, X25519MLKEM768, years later', 'Level 5, resumed with a ticket: its 0-RTT early data', 'Level 5, resumed with a ticket (psk_dhe_ke): after the handshake', 'Level 5, resumed with the ticket alone (psk_ke)']);
    await expectAccessible(page, 'the years-later debrief');
    await shoot(page, '.harvest', 'harvest-attacker-debrief-opened');
    await screenshot(page, 'harvest-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 120_000);

  it('the client’s seat: an up-to-date browser sends the hybrid share, and years later the recording stays sealed', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Alice', /Client/);
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await expect(page.locator('#my-key-shares').innerText()).resolves.toBe('Your browser is up to date — it offers X25519MLKEM768, X25519: post-quantum first.');
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click({ timeout: 60_000 });
    // The inspector names the two parts of her 1216-byte share.
    await page.locator('.packet-list').getByRole('button', { name: /^#\d+ ClientHello$/ }).click();
    await page.locator('.inspector button.field[data-path$=".key.mlkem"]').click();
    await expect(page.locator('.inspector .field-explain p').last().innerText()).resolves.toMatch(/^ML-KEM-768 encapsulation key \(FIPS 203, 1184 bytes\)/);
    await page.locator('.inspector button.field[data-path$=".key.x25519"]').click();
    await expect(page.locator('.inspector .field-explain p').last().innerText()).resolves.toMatch(/^X25519 public key \(32 bytes, RFC 7748\)/);
    await shoot(page, '.inspector', 'harvest-client-inspector-share');
    await screenshot(page, 'harvest-client-round');
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('secure');
    const harvest = page.getByRole('region', { name: 'Years later, a quantum computer breaks X25519…' });
    await expect(harvest.getAttribute('data-opened')).resolves.toBe('false');
    expect((await harvest.locator('.leak-verdict').innerText()).trim()).toBe('Her recording stays sealed: ML-KEM holds.');
    await expect(harvest.locator('.harvest-request').count()).resolves.toBe(0);
    expect((await rowsOf(page, '.harvest-compare')).map((r) => r.split(' (0x')[0] + (r.includes('(this round)') ? ' *' : ''))).toEqual(['X25519 alone', 'X25519MLKEM768 *']);
    await expectAccessible(page, 'Alice’s years-later debrief');
    await shoot(page, '.harvest', 'harvest-client-debrief-sealed');
    await screenshot(page, 'harvest-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 120_000);
});
