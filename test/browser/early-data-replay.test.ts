/**
 * Early data, replayed in the browser (issue 16, item 3): level 5 practised alone against the
 * bots, with the event switched on in the lobby. One page per seat:
 * - the attacker's seat, against the careless bank: Alice's order goes as 0-RTT early data; Mallory
 *   cannot read it, clicks "Replay Alice’s first flight", and the bank pays twice — Tampered;
 * - the client's seat, against the standard bank and the replay bot: her panel says her browser
 *   kept yesterday's ticket, Connect sends the order with the first message, and the bank refuses
 *   the copy — Attack detected, paid once.
 * Screenshots go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, practiseEvent, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();
const EVENT = 'earlyDataReplay';

const practise = (page: Page, nickname: string, role: RegExp, bot: { seat: 'server' | 'attacker'; behaviour: string }) => practiseEvent(page, { nickname, role }, '5', EVENT, bot);

describe('early data, replayed, in the browser', () => {
  it('the attacker’s seat: she replays Alice’s first flight to a careless bank, which pays twice', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Mal', /Attacker/, { seat: 'server', behaviour: 'careless' });
    await expect(page.locator('.event-briefing h3').innerText()).resolves.toBe('This round: Early data, replayed');
    await expect(page.locator('.event-briefing').innerText()).resolves.toContain('Attacker (you): Replay Alice’s first flight.');
    await shoot(page, '.panel.level', 'early-data-lobby-briefing');
    await page.getByRole('button', { name: /Start the/ }).click();
    // As with mitmproxy: hold what crosses the tap, let Alice's first flight go on, then send a copy of it.
    await page.locator('button[data-key="intercept"]').click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.locator('.first-flight').waitFor();
    await shoot(page, '.first-flight', 'early-data-attacker-waiting');
    await page.getByRole('button', { name: 'Forward all' }).and(page.locator(':enabled')).click({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Replay Alice’s first flight' }).and(page.locator(':enabled')).click({ timeout: 30_000 });
    await page.locator('.captured-list').getByText(/Mallory → bank/).first().waitFor();
    await shoot(page, '.captured', 'early-data-attacker-replayed');
    // Intercept off, and whatever the tap held meanwhile goes on, until the round is judged.
    await page.locator('button[data-key="intercept"]').click();
    await page.getByRole('button', { name: '4×' }).click();
    const forwardAll = page.locator('button[data-key="forward-all"]');
    for (let i = 0; i < 100 && (await page.locator('.scoreboard .outcome').count()) === 0; i++) {
      // The round may end between the look and the click: wait a second for the button, not 30.
      if (await forwardAll.isEnabled().catch(() => false)) await forwardAll.click({ timeout: 1_000 }).catch(() => undefined);
      else await page.waitForTimeout(200);
    }
    expect(await outcomeOf(page, 30_000)).toBe('tampered');
    expect(await page.locator('.scoreboard .summary').innerText()).toMatch(/^Why, in TLS terms: Tampered: Mallory sent a copy of Alice’s first flight — her ClientHello with yesterday’s ticket, and the 0-RTT early data behind it — and the bank, which takes a ticket as often as it comes, read the early data again: it carried out “pay 60 to Carol” 2 times\./);
    await expectAccessible(page, 'the early-data debrief');
    await screenshot(page, 'early-data-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 90_000);

  it('the bank’s seat: while preparing, its panel offers the ticket rule; it takes each ticket once unless changed', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Bank', /Server/, { seat: 'attacker', behaviour: 'replay' });
    await page.getByRole('button', { name: /Start the/ }).click();
    const once = page.locator('input[data-key="tickets-once"]');
    await once.waitFor();
    expect(await once.isChecked()).toBe(true);
    await page.locator('input[data-key="tickets-always"]').check();
    await page.locator('.ticket-choice').getByText('Take a ticket as often as it comes').waitFor();
    await expect.poll(() => page.locator('input[data-key="tickets-always"]').isChecked()).toBe(true);
    await shoot(page, '.ticket-choice', 'early-data-bank-tickets');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 60_000);

  it('the client’s seat: her order goes with her first message; the standard bank refuses the copy — Attack detected', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    // No bot chosen: the event is an attack of its own, and switching it on set the bot attacker to play it.
    await practiseEvent(page, { nickname: 'Alice', role: /Client/ }, '5', EVENT);
    await expect.poll(() => page.locator('select[data-bot="attacker"]').inputValue(), { message: 'the attacker bot the lobby shows' }).toBe('replay');
    await page.getByRole('button', { name: /Start the/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await expect(page.locator('#my-ticket').innerText()).resolves.toBe('Your browser kept a session ticket from yesterday’s visit: Connect sends your PIN and transfer with its very first message (0-RTT early data), no round trip to wait for.');
    await page.getByRole('button', { name: 'Connect to bank.example' }).and(page.locator(':enabled')).click({ timeout: 60_000 });
    const sent = page.getByRole('button', { name: 'PIN and transfer sent' });
    await sent.waitFor();
    expect(await sent.isDisabled()).toBe(true);
    await shoot(page, '.role-panel', 'early-data-client-sent');
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 60_000)).toBe('attackDetected');
    expect(await page.locator('.scoreboard .summary').innerText()).toBe(
      'Why, in TLS terms: Attack detected: Mallory sent a copy of Alice’s first flight — her ClientHello with yesterday’s ticket, and the 0-RTT early data behind it — but the bank takes each ticket once (RFC 8446 §8.1): the second time it refused the ticket and skipped the early data unread. Alice’s transfer went through once.',
    );
    await expect(page.locator('.response').innerText()).resolves.toBe('The bank answered: 200 Transfer of 60 to Carol done');
    await screenshot(page, 'early-data-client-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 90_000);
});
