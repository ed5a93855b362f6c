/**
 * A downgrade to TLS 1.2 in the browser (issue 16, item 5): level 5 practised alone against the
 * bots, with the event switched on in the lobby. One page per seat:
 * - the attacker's seat, against a careful Alice (an up-to-date browser): Mallory holds Alice's
 *   ClientHello and, in her panel, offers only TLS 1.2; the bank answers in 1.2 with the sentinel
 *   in its random, and Alice's browser stops at it — Attack detected, the sentinel named;
 * - the client's seat, chosen on the practice screen's map, against the tamper bot (whose attack
 *   at this event is the downgrade): Alice connects, her browser refuses the
 *   1.2 answer, and the inspector says what the last 8 bytes of the bank's random are.
 * Screenshots go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, practiseEvent, practiseFromMap, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();
const EVENT = 'versionDowngrade';
const SENTINEL_WORDS = 'its random ends in the downgrade sentinel 44 4F 57 4E 47 52 44 01 ("DOWNGRD")';

/** Level 5 practised in one seat with the event on (and one bot as given). */
const practise = (page: Page, nickname: string, role: RegExp, bot?: { seat: 'client' | 'attacker'; behaviour: string }) => practiseEvent(page, { nickname, role }, '5', EVENT, bot);

describe('a downgrade to TLS 1.2, in the browser', () => {
  it('the attacker’s seat: she offers only TLS 1.2 in Alice’s ClientHello, and Alice’s up-to-date browser stops at the sentinel', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Mal', /Attacker/, { seat: 'client', behaviour: 'careful' });
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: A downgrade to TLS 1.2');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Attacker (you): Hold Alice’s ClientHello and offer only TLS 1.2.');
    await shoot(page, '.panel.level', 'downgrade-lobby-briefing');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: '○ Intercept is OFF — packets pass' }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    const downgrade = page.getByRole('form', { name: 'Downgrade — offer only TLS 1.2' });
    await downgrade.waitFor({ timeout: 60_000 });
    await expect(page.locator('.editor h3').innerText()).resolves.toMatch(/^Edit held packet #\d+ ClientHello$/);
    await expect(downgrade.innerText()).resolves.toContain('Alice’s browser offers TLS 1.3 (0x0304), TLS 1.2 (0x0303). Cross TLS 1.3 off (supported_versions: TLS 1.2 alone), and the bank answers in the best version it is still offered.');
    await expectAccessible(page, 'the downgrade form');
    await shoot(page, '.editor', 'downgrade-attacker-form');
    await downgrade.getByRole('button', { name: 'Offer only TLS 1.2' }).click();
    await page.getByText(/^Edited extensions\.\d+\.versions of packet #\d+\.$/).first().waitFor();
    await page.getByRole('button', { name: '● Intercept is ON — packets wait for you' }).click();
    await page.getByRole('button', { name: 'Forward all' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 60_000)).toBe('attackDetected');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain(SENTINEL_WORDS);
    await expectAccessible(page, 'the debrief of a downgrade');
    await screenshot(page, 'downgrade-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);

  it('the client’s seat: Alice connects against the tamper bot, her browser refuses the 1.2 answer, and the inspector shows the sentinel', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    // From the practice screen's map: level 5's line offers the event.
    await practiseFromMap(page, { nickname: 'Alice', role: /Client/ }, '5', EVENT, 'A downgrade to TLS 1.2');
    await expect(page.locator('#lobby-level').inputValue()).resolves.toBe('5');
    // The map's legend says what each event teaches, once.
    await expect(page.locator('.map-panel .map-events dt:text-is("A downgrade to TLS 1.2") + dd').textContent()).resolves.toBe('an attacker can strip TLS 1.3 from the offer; a signal in the bank’s random gives her away (level 5)');
    await shoot(page, '.map-panel', 'downgrade-practice-map');
    await page.locator('select[data-bot="attacker"]').selectOption('tamper');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Client (you): Connect: your browser decides what it checks.');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await expect(page.locator('#my-versions').innerText()).resolves.toBe('Your browser is up to date — it offers TLS 1.3 and TLS 1.2, and checks a TLS 1.2 answer for TLS 1.3’s downgrade sentinel.');
    await shoot(page, '.role-panel', 'downgrade-client-browser');
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    expect(await outcomeOf(page, 60_000)).toBe('attackDetected');
    await expect(page.locator('.scoreboard .summary').innerText()).resolves.toContain(SENTINEL_WORDS);
    await page.locator('.packet-list').getByRole('button', { name: /^#\d+ ServerHello$/ }).click();
    await page.locator('.inspector button.field[data-path$="random"]').first().click();
    await expect(page.locator('.inspector .field-explain p').last().innerText()).resolves.toContain(
      'Its last 8 bytes are 44 4F 57 4E 47 52 44 01 (“DOWNGRD” and 01): a server that speaks TLS 1.3 writes them when it answers in TLS 1.2 — the downgrade sentinel (RFC 8446 §4.1.3)',
    );
    await expect(page.locator('.inspector').innerText()).resolves.toContain('or TLS 1.2 (RFC 5246 with RFC 8422’s ECDHE, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) when the bank answers in 1.2');
    await page.locator('.inspector .field-explain').last().scrollIntoViewIfNeeded();
    await shoot(page, '.inspector', 'downgrade-client-inspector-random');
    await expectAccessible(page, 'Alice’s debrief of a downgrade');
    await screenshot(page, 'downgrade-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);
});
