/**
 * Encryption without integrity in the browser (issue 16, item 6): level 2 practised alone against
 * the bots, with the event switched on in the lobby. One page per seat:
 * - the attacker's seat: she holds Alice's record, the Flip bits form starts from what she knows
 *   (amount=0060 → amount=0960) and lays out guess, wanted, mask and ciphertext byte by byte; she
 *   flips, forwards, and the bank pays 960 — Tampered, the debrief setting AES-CTR beside AES-GCM;
 * - the client's seat: Alice sends 60, against the tamper bot, and reads what the bank did.
 * Screenshots go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, practiseEvent, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();
const EVENT = 'encryptionWithoutIntegrity';

/** Level 2 practised in one seat with the event on (and the attacker bot as given). */
const practise = (page: Page, nickname: string, role: RegExp, attacker?: string) => practiseEvent(page, { nickname, role }, '2', EVENT, attacker ? { seat: 'attacker', behaviour: attacker } : undefined);

const cellsOf = async (page: Page, row: string) => (await page.locator('.flip-table tr', { has: page.getByRole('rowheader', { name: row, exact: true }) }).locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

describe('encryption without integrity, in the browser', () => {
  it('the attacker’s seat: she flips amount=0060 into amount=0960 without the key, and the bank pays 960', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Mal', /Attacker/);
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: Encryption without integrity');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Attacker (you): Hold Alice’s record and flip bits in it: make 0060 say 0960.');
    // Level 2's own briefing (its key sent in the clear) is folded beneath, as the level without the event.
    await expect(page.locator('.briefing-without-event > summary').innerText()).resolves.toBe('Level 2 · One key — Symmetric encryption (AES-256-GCM) without this event');
    await expect(page.locator('.briefing-without-event').getAttribute('open')).resolves.toBeNull();
    await shoot(page, '.panel.level', 'ctr-lobby-briefing');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: '○ Intercept is OFF — packets pass' }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    const flip = page.getByRole('form', { name: 'Flip bits — change what it says without the key' });
    await flip.waitFor({ timeout: 60_000 });
    await expect(page.locator('.editor h3').innerText()).resolves.toBe('Edit held packet #1 EncryptedRecord');
    await expect(flip.getByLabel('How it ends (your guess)').inputValue()).resolves.toBe('amount=0060');
    await expect(flip.getByLabel('Make it say').inputValue()).resolves.toBe('amount=0960');
    expect(await cellsOf(page, 'Your guess')).toEqual(['a 61', 'm 6d', 'o 6f', 'u 75', 'n 6e', 't 74', '= 3d', '0 30', '0 30', '6 36', '0 30']);
    expect(await cellsOf(page, 'Make it say')).toEqual(['a 61', 'm 6d', 'o 6f', 'u 75', 'n 6e', 't 74', '= 3d', '0 30', '9 39', '6 36', '0 30']);
    expect(await cellsOf(page, 'Mask = guess XOR wanted')).toEqual(['00', '00', '00', '00', '00', '00', '00', '00', '09', '00', '00']);
    const before = await cellsOf(page, 'Ciphertext now');
    const after = await cellsOf(page, 'Ciphertext XOR mask');
    expect(after.map((b) => parseInt(b, 16))).toEqual(before.map((b, i) => parseInt(b, 16) ^ (i === 8 ? 0x09 : 0)));
    expect((await flip.locator('.flip-note').innerText()).replace(/\s+/g, ' ')).toBe('1 byte changes, and you need no key. ℹ Info: This record carries no tag: nothing can tell the bank that the bytes changed.');
    await expectAccessible(page, 'the flip-bits form');
    await shoot(page, '.editor', 'ctr-attacker-flip-form');
    // The inspector shows the record's parts: the sequence number and the AES-CTR ciphertext, no tag.
    await page.getByRole('button', { name: 'Inspect packet 1' }).click();
    await page.locator('.inspector button.field[data-path="fragment.ciphertext"]').click();
    await expect(page.locator('.inspector .field-explain p').last().innerText()).resolves.toContain('AES-256-CTR ciphertext');
    await expect(page.locator('.inspector button.field[data-path="fragment.tag"]').count()).resolves.toBe(0);
    await shoot(page, '.inspector', 'ctr-attacker-inspector');

    await flip.getByRole('button', { name: 'Flip these bits' }).click();
    await page.getByText('Your guess "amount=0060" XOR "amount=0960" = mask 00 00 00 00 00 00 00 00 09 00 00').first().waitFor();
    await page.getByRole('button', { name: '● Intercept is ON — packets wait for you' }).click();
    await page.getByRole('button', { name: 'Forward all' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('tampered');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toMatch(/the bank decrypted it to "pay 960 to (Bob|Carol|Dave|Erin)" and paid: AES-CTR has no tag/);
    const side = page.getByRole('region', { name: 'The same flip, without a tag and with one' });
    const rows = (await side.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual([
      'AES-256-CTR, no tag (this round) ✘ Failed: takes the flipped record decrypts to “…amount=0960”: nothing checks the bytes, so the bank takes them for what was sent',
      'AES-256-GCM: the same CTR plus a 16-byte tag ✔ Passed: refuses it the tag no longer matches the changed ciphertext: the record is refused (bad_record_mac: AEAD tag invalid: this record was changed, replayed or out of order (or sealed with another key))',
    ]);
    await expect(side.locator('.integrity-moral').innerText()).resolves.toBe('Encryption hides; it does not protect from change. The tag does.');
    await expectAccessible(page, 'the debrief of a flipped round');
    await shoot(page, '.integrity', 'ctr-attacker-debrief-side-by-side');
    await screenshot(page, 'ctr-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 120_000);

  it('the client’s seat: Alice sends 60 against the tamper bot, and reads that the bank paid 960', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Alice', /Client/, 'tamper');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Level 2: One key — Symmetric encryption without integrity (AES-256-CTR, no tag)');
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    await expect(page.locator('.no-padlock').innerText()).resolves.toContain('Encrypted with the key you and the bank agreed in advance — nobody else can read it. But nothing checks the records (no tag): no padlock.');
    const to = /pay 60 to (\w+)/.exec(await page.getByText('Transfer to send:').innerText())?.[1];
    expect(to).toMatch(/^(Bob|Carol|Dave|Erin)$/);
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click();
    await expect(page.locator('.response').innerText({ timeout: 60_000 })).resolves.toBe(`The bank answered: 200 Transfer of 960 to ${to} done`);
    await screenshot(page, 'ctr-client-answer');
    const checks = await page.getByRole('list', { name: 'Checks your browser ran' }).locator('li').allInnerTexts();
    expect(checks.map((c) => c.replace(/\s+/g, ' ').trim())[0]).toBe(
      '✔ Passed: Record sequence number as expected (the game’s own check): sequence number 0 as expected (the game\'s own check); decrypted with AES-CTR — no tag, so nothing checked that these are the bytes that were sent',
    );
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('tampered');
    await expect(page.locator('.debrief').innerText()).resolves.toContain('Encryption hides; it does not protect from change. A tag does');
    await expectAccessible(page, 'Alice’s debrief');
    await screenshot(page, 'ctr-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 120_000);
});
