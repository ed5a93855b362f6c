/**
 * One student alone: practice from the landing page by keyboard only (bots take the other
 * seats), the network view drawn by Phaser, a dropped connection that the page repairs by
 * itself, and the round played to its scoreboard. Also the tablet-width layout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { matchMaker } from '@colyseus/core';
import { launchChromium } from './support/chromium.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { expectAccessible, openPlayer, outcomeOf, screenshot } from './support/ui.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('practising alone', () => {
  it('starts by keyboard, survives a dropped connection and ends on the scoreboard', async () => {
    const player = await openPlayer(browser, server.url, { width: 800, height: 1024 }, { reducedMotion: 'reduce' });
    const { page } = player;

    // Keyboard only: type the nickname, pick the role and level, submit with Enter.
    await page.getByLabel('Your nickname').focus();
    await page.keyboard.type('Sam');
    await page.getByRole('radio', { name: /Client/ }).focus();
    await page.keyboard.press('ArrowDown'); // → Server
    await expect(page.getByRole('radio', { name: /Server/ }).isChecked()).resolves.toBe(true);
    await page.keyboard.press('ArrowUp'); // back to Client
    await page.getByLabel('Level', { exact: true }).focus();
    await page.keyboard.press('ArrowDown'); // level 2
    await page.keyboard.press('ArrowUp'); // level 1
    await page.getByRole('button', { name: 'Practise' }).focus();
    await page.keyboard.press('Enter');

    // The lobby shows the level's briefing; bots hold the other seats.
    await page.getByRole('heading', { name: 'Practice round' }).waitFor();
    await page.locator('.seat.mine[data-role="client"]').waitFor();
    await page.getByRole('heading', { name: /Briefing — Level 1/ }).waitFor();
    await expect(page.locator('.seat[data-role="attacker"]').textContent()).resolves.toMatch(/Bot/);
    await screenshot(page, 'practice-lobby-tablet');
    await page.getByRole('button', { name: 'Start the round' }).press('Enter');
    await page.locator('#role-title').waitFor();

    // The system asks for reduced motion: the page says so (parcels jump instead of travelling).
    await expect(page.getByLabel('Reduce motion').isChecked()).resolves.toBe(true);
    // Phaser drew the network into a canvas.
    const canvas = page.locator('.network-canvas canvas');
    await canvas.waitFor();
    expect(await canvas.evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(0);

    // Drop the websocket under the page's feet: it reconnects by itself, same seat.
    const stored = (await page.evaluate(() => sessionStorage.getItem('heist.reconnect'))) ?? '';
    expect(stored, 'the reconnection token is kept').toContain('token');
    const rooms = await matchMaker.query({ name: 'game' });
    const room = rooms.map((r) => matchMaker.getLocalRoomById(r.roomId)).find((r) => r && r.clients.length === 1)!;
    (room.clients[0] as unknown as { ref: { terminate(): void } }).ref.terminate();
    await page.getByText(/Connection lost, reconnecting/).waitFor();
    await expect.poll(() => page.locator('#connection-status').textContent(), { timeout: 15_000 }).toBe('');
    await expect(page.locator('#my-role').textContent()).resolves.toContain('Client');

    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click();
    await page.getByRole('button', { name: `4×` }).click();
    const outcome = await outcomeOf(page, 60_000);
    // Level 1's practice bot tampers with the postcard (or reads it): never a secure round.
    expect(outcome).not.toBe('secure');
    await expectAccessible(page, 'practice round at tablet width');
    await screenshot(page, 'practice-debrief-tablet');
    // On to the next level: back in the lobby with its briefing.
    await page.getByRole('button', { name: 'Go to level 2' }).click();
    await page.getByRole('heading', { name: /Briefing — Level 2/ }).waitFor();
    expect(player.errors.filter((e) => !/WebSocket|ERR_CONNECTION|1006/.test(e))).toEqual([]);
    await player.context.close();
  });
});

describe('practising the attack at level 2', () => {
  it('copies the key sent in the clear, opens the encrypted record with it and proves the PIN', async () => {
    const player = await openPlayer(browser, server.url);
    const { page } = player;
    await page.getByLabel('Your nickname').fill('Mal');
    await page.getByRole('radio', { name: /Attacker/ }).check();
    await page.getByLabel('Level', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Practise' }).click();
    await page.getByRole('button', { name: 'Start the round' }).click();

    // The bots talk; Mallory sees everything on the Wi-Fi.
    const captured = page.locator('.captured');
    await captured.getByRole('button', { name: /KeyTransport/ }).click();
    const inspector = page.locator('.inspector');
    await inspector.locator('button.field[data-path="key"]').click();
    const key = (await inspector.locator('.field-full').textContent())!.trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);

    await captured.getByRole('button', { name: /EncryptedRecord/ }).first().waitFor();
    await page.getByText('More tools: inject, ask the CA, try a key').click();
    await page.getByLabel('Key (hex)').fill(key);
    await page.getByRole('button', { name: 'Try key' }).click();
    await page.locator('.findings').getByText(/opened/).first().waitFor();

    // The record now opens in the inspector: the PIN is readable.
    const record = (await page.getByLabel('Packet', { exact: true }).inputValue()).trim();
    await captured.getByRole('button', { name: new RegExp(`^#${record} EncryptedRecord`) }).click();
    const plaintext = (await inspector.locator('.plaintext-text').textContent()) ?? '';
    const pin = /pin=(\d+)/.exec(plaintext)?.[1];
    expect(pin, plaintext).toBeDefined();
    await page.getByLabel('The secret you read (e.g. the PIN)').fill(pin!);
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByText(`“${pin}” is the real secret.`).waitFor();
    await screenshot(page, 'practice-attacker-level2');
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 60_000)).toBe('eavesdropped');
    expect(player.errors).toEqual([]);
    await player.context.close();
  });
});
