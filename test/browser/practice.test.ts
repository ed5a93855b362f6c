/**
 * One student alone: practice from the landing page by keyboard only (bots take the other
 * seats), the network view drawn by Phaser, a dropped connection that the page repairs by
 * itself, and the round played to its scoreboard. Also the tablet-width layout.
 */
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, framesAsked, openPlayer, outcomeOf, screenshot } from './support/ui.ts';
import { wifiTo } from './support/wifi.ts';

const env = useServerAndBrowser();

describe('practising alone', () => {
  it('starts by keyboard, survives a dropped connection and ends on the scoreboard', async () => {
    const wifi = await wifiTo(env.server.process.port);
    const player = await openPlayer(env.browser, wifi.url, { width: 800, height: 1024 }, { reducedMotion: 'reduce' });
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
    // Nothing moves before play: the map asks for no animation frames (a page that does is
    // composited at the display's rate, a third of a core in a software-rendered browser).
    const frameRequests = await framesAsked(page, 1500);
    expect(frameRequests, 'animation frames asked for in 1.5 s of a still map').toBeLessThanOrEqual(2);

    // The Wi-Fi drops the websocket under the page's feet: it reconnects by itself, same seat.
    const stored = (await page.evaluate(() => sessionStorage.getItem('heist.reconnect'))) ?? '';
    expect(stored, 'the reconnection token is kept').toContain('token');
    wifi.drop();
    await page.getByText(/Connection lost, reconnecting/).waitFor();
    await expect.poll(() => page.locator('#connection-status').textContent(), { timeout: 15_000 }).toBe('');
    await expect(page.locator('#my-role').textContent()).resolves.toContain('Client');

    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click();
    await page.getByRole('button', { name: `4×` }).click();
    // Level 1's practice bot changes the transfer on the postcard, and the bank carries it out.
    expect(await outcomeOf(page, 60_000)).toBe('tampered');
    await expectAccessible(page, 'practice round at tablet width');
    await screenshot(page, 'practice-debrief-tablet');
    // On to the next level: back in the lobby with its briefing.
    await page.getByRole('button', { name: 'Go to level 2' }).click();
    await page.getByRole('heading', { name: /Briefing — Level 2/ }).waitFor();
    expect(player.errors.filter((e) => !/WebSocket|ERR_CONNECTION|1006/.test(e))).toEqual([]);
    await player.context.close();
    await wifi.close();
  });
});

describe('practising the attack at level 2', () => {
  it('copies the key sent in the clear, opens the encrypted record with it and proves the PIN', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await page.getByLabel('Your nickname').fill('Mal');
    await page.getByRole('radio', { name: /Attacker/ }).check();
    await page.getByLabel('Level', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Practise' }).click();
    await page.getByRole('button', { name: 'Start the round' }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();

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
    // Every row of the capture list is whole: its Replay button sits inside it, rows do not overlap.
    const rows = await captured.locator('li').evaluateAll((lis) =>
      lis.map((li) => {
        const row = li.getBoundingClientRect();
        const button = li.querySelector('button[aria-label^="Replay"]')!.getBoundingClientRect();
        return { top: row.top, bottom: row.bottom, inside: button.top >= row.top - 0.5 && button.bottom <= row.bottom + 0.5 && button.right <= row.right + 0.5 };
      }),
    );
    expect(rows.length).toBeGreaterThan(2);
    rows.forEach((r, i) => {
      expect(r.inside, `Replay button of row ${i} inside its row`).toBe(true);
      const above = rows[i - 1]; // none above the first row
      if (above) expect(r.top, `row ${i} starts below row ${i - 1}`).toBeGreaterThanOrEqual(above.bottom - 0.5);
    });
    // The list is not clipped: its last row is within the list's own box.
    const clipped = await captured.locator('ul').evaluate((ul) => ul.scrollHeight > ul.clientHeight + 1);
    expect(clipped, 'capture list cut off').toBe(false);
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 60_000)).toBe('eavesdropped');
    expect(player.errors).toEqual([]);
    await player.context.close();
  });
});

/**
 * The TLS levels as a student plays them in a row, and what she reads at each: the check that
 * proves the server holds its key (beyond the certificate's), and whether the leaked key opens
 * the recording; where the padlock is checked for accessibility, and where the leak is shown side by side.
 */
const TLS_LEVELS_IN_ORDER = [
  { level: '4', provesKey: undefined, leakOpens: true, next: '4e', padlockShot: true, sideBySide: false },
  { level: '4e', provesKey: 'Server signed its one-time key share (ServerKeyExchange)', leakOpens: false, next: '5', padlockShot: false, sideBySide: true },
  { level: '5', provesKey: 'Server proved it holds the key (CertificateVerify)', leakOpens: false, next: undefined, padlockShot: false, sideBySide: false },
] as const;

describe('practising the client at levels 4, 4e and 5 with no attacker', () => {
  it('lists every check as passed with the padlock, and the debrief’s key leak opens level 4 but not 4e (TLS 1.2 ECDHE) or 5', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await page.getByLabel('Your nickname').fill('Alice');
    await page.getByRole('radio', { name: /Client/ }).check();
    await page.getByLabel('Level', { exact: true }).selectOption('4');
    await page.getByRole('button', { name: 'Practise' }).click();
    await page.getByRole('heading', { name: 'Practice round' }).waitFor();

    // The levels in the order the game offers them: 4e (TLS 1.2 with ECDHE) comes between 4 and 5.
    for (const { level, provesKey, leakOpens, next, padlockShot, sideBySide } of TLS_LEVELS_IN_ORDER) {
      await page.getByRole('heading', { name: new RegExp(`Briefing — Level ${level} `) }).waitFor();
      await page.locator('select[data-bot="attacker"]').selectOption('none');
      await expect.poll(() => page.locator('select[data-bot="attacker"]').inputValue()).toBe('none');
      await page.getByRole('button', { name: /Start the/ }).click();
      await page.locator('#role-title').waitFor();
      await page.getByRole('button', { name: 'I am ready' }).click();
      await page.getByRole('button', { name: 'Connect to bank.example' }).click();

      // Nothing to decide: the browser goes on by itself, and shows every check it ran.
      await page.locator('#padlock').waitFor({ timeout: 30_000 });
      const checks = page.getByRole('list', { name: 'Checks your browser ran' });
      const text = (await checks.innerText()).replace(/\s+/g, ' ');
      expect(await checks.locator('li.failed').count(), text).toBe(0);
      for (const name of ['Issuer is a CA you trust', 'CA signature verifies', 'Name matches the site you asked for', 'Not expired', 'Finished MAC matches the transcript'])
        expect(text).toContain(`Passed: ${name}`);
      if (provesKey) expect(text).toContain(`Passed: ${provesKey}`);
      await expect(page.locator('[data-key="trust"]').count()).resolves.toBe(0);
      await expect(page.locator('#padlock').innerText()).resolves.toMatch(/All \d+ checks passed/);
      if (padlockShot) {
        await expectAccessible(page, 'client panel, level 4, every check passed');
        await screenshot(page, 'practice-client-level4-padlock');
      }

      await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click();
      await page.getByRole('button', { name: '4×' }).click();
      expect(await outcomeOf(page, 90_000)).toBe('secure');

      // Later, the bank's private key leaks: Mallory's recording of level 4 opens, of levels 4e and 5 does not.
      const leak = page.getByRole('region', { name: 'Later, the bank’s private key leaks…' });
      await leak.waitFor();
      await expect(leak.getAttribute('data-opened')).resolves.toBe(String(leakOpens));
      await expect(leak.locator('.leak-verdict').innerText()).resolves.toMatch(leakOpens ? /recording opens/ : /stays sealed: forward secrecy/);
      await expect(leak.getByRole('row', { name: new RegExp(`Level ${level} \\(this round\\)`) }).count()).resolves.toBe(1);
      await expectAccessible(page, `debrief with the key leak, level ${level}`);
      await screenshot(page, `practice-debrief-leak-level${level}`);
      if (sideBySide) {
        // The leak, side by side: RSA transport opens; TLS 1.2 ECDHE and TLS 1.3 stay sealed — and,
        // years later, a quantum computer opens X25519 alone but not the hybrid with ML-KEM.
        const rows = await leak.locator('tbody tr').allInnerTexts();
        expect(rows.map((r) => r.split(/\t|\n/)[0])).toEqual(['Level 4', 'Level 4e (this round)', 'Level 5', 'Level 5, years later: a quantum computer', 'Level 5, X25519MLKEM768, years later', 'Level 5, resumed with a ticket: its 0-RTT early data', 'Level 5, resumed with a ticket (psk_dhe_ke): after the handshake', 'Level 5, resumed with the ticket alone (psk_ke)']);
      }
      if (next) await page.getByRole('button', { name: `Go to level ${next}` }).click();
    }
    expect(player.errors).toEqual([]);
    await player.context.close();
  });
});

describe('watching bots play', () => {
  it('says the demo shows everything, and keeps the last round’s debrief to read', async () => {
    const player = await openPlayer(env.browser, env.server.url, { width: 800, height: 1024 });
    const { page } = player;
    await page.getByLabel('Your nickname').fill('Watcher');
    await page.getByRole('button', { name: 'Watch bots play' }).click();
    await page.getByRole('heading', { name: 'Demo: you see everything, secrets included' }).waitFor();
    await expect(page.locator('#watch-scope').innerText()).resolves.toBe('Demo: you see everything, secrets included');
    // Every line, secrets included: the PIN the bots send is in the timeline.
    await expect.poll(() => page.locator('.timeline-list').innerText(), { timeout: 30_000 }).toMatch(/pin=\d+/);
    // The next demo round starts by itself; the one before stays on screen, folded.
    const last = page.locator('#last-round');
    await last.waitFor({ timeout: 60_000 });
    await last.locator(':scope > summary').click();
    await last.locator('.scoreboard .outcome').waitFor();
    await last.getByRole('heading', { name: 'Debrief' }).waitFor();
    await expectAccessible(page, 'demo, watching');
    await screenshot(page, 'demo-watching-tablet');
    expect(player.errors).toEqual([]);
    await player.context.close();
  });

  it('a click is not lost when the panel changes under the pointer (a packet arrives between press and release)', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    let views = 0;
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => void (Buffer.from(payload).includes('view') && views++)));
    await page.getByLabel('Your nickname').fill('Mal');
    await page.getByRole('radio', { name: /Attacker/ }).check();
    await page.getByLabel('Level', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Practise' }).click();
    await page.getByRole('button', { name: 'Start the round' }).click();

    // Mallory presses "Intercept" and, before she lets go, says she is ready by keyboard: the
    // bots start talking, and their first packet reaches her tap while the button is held.
    const toggle = page.getByRole('button', { name: /Intercept is OFF/ });
    const box = await toggle.evaluate((b) => b.getBoundingClientRect().toJSON() as DOMRect);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.getByRole('button', { name: 'I am ready' }).focus();
    const before = views;
    await page.keyboard.press('Enter');
    await expect.poll(() => views, { message: 'views arrived while the button was held' }).toBeGreaterThan(before + 1);
    await page.mouse.up();
    await page.getByRole('button', { name: /Intercept is ON/ }).waitFor({ timeout: 5_000 });
    expect(player.errors).toEqual([]);
    await player.context.close();
  });
});

describe('choosing the round in the lobby', () => {
  // Once more if it fails: in one full run of four the room never showed the released messages
  // (it stayed as created, '1 passive'; cause not found). The bug itself fails every time: the
  // race is forced, so a second try cannot hide it.
  it('a bot chosen before the room shows the practice’s level plays at that level', { retry: 1 }, async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    // A slow uplink: the room messages the page sends (Colyseus' ROOM_DATA frames) are held back
    // until the bot is chosen, so the room (and the lobby drawn from it) is still as created, at
    // level 1, while practice's "play level 4" is on its way; then they all arrive, in order.
    await page.addInitScript(() => {
      const send = WebSocket.prototype.send;
      const held: (() => void)[] = [];
      const w = window as unknown as { holdRoomMessages: boolean; releaseRoomMessages: () => void };
      w.holdRoomMessages = true;
      w.releaseRoomMessages = () => {
        w.holdRoomMessages = false;
        for (const release of held.splice(0)) release();
      };
      WebSocket.prototype.send = function (this: WebSocket, data: ArrayBufferLike | ArrayBufferView | Blob | string) {
        const first = data instanceof ArrayBuffer ? new Uint8Array(data)[0] : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, 1)[0] : undefined;
        if (w.holdRoomMessages && first === 13) held.push(() => send.call(this, data));
        else send.call(this, data);
      };
    });
    await page.reload(); // the script runs in pages loaded from now on
    await page.getByLabel('Your nickname').fill('Ann');
    await page.getByRole('radio', { name: /Client/ }).check();
    await page.getByLabel('Level', { exact: true }).selectOption('4');
    await page.getByRole('button', { name: 'Practise' }).click();
    const attackerBot = page.locator('select[data-bot="attacker"]');
    await attackerBot.waitFor();
    expect(await page.locator('#lobby-level').inputValue(), 'the lobby shows the room as created').toBe('1');
    await attackerBot.selectOption('none');
    await page.evaluate(() => (window as unknown as { releaseRoomMessages: () => void }).releaseRoomMessages());

    // The room comes to show the chosen bot at the level practice asked for (it went back to
    // level 1 with the bot: the select showed 'none' at level 1, never at level 4).
    const levelAndBot = () => page.evaluate(() => ['#lobby-level', 'select[data-bot="attacker"]'].map((s) => document.querySelector<HTMLSelectElement>(s)?.value).join(' '));
    await expect.poll(levelAndBot, { timeout: 15_000, message: 'level and attacker bot the lobby shows' }).toBe('4 none');
    await page.getByRole('heading', { name: /Briefing — Level 4/ }).waitFor();
    expect(player.errors).toEqual([]);
    await player.context.close();
  });
});
