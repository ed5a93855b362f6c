/**
 * The debrief's downloads, as a student practising the attacker uses them: after a level-4
 * round she saves her recording (a pcapng without keys; her panel offers it too) and the bank's
 * leaked key from the page, beside the two lines on opening them in Wireshark; the capture
 * with the key log is not offered to her.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, screenshot, downloaded } from './support/ui.ts';
import { readPcapng } from '../../shared/src/capture/pcapng.ts';

const env = useServerAndBrowser();

/** A practice round in the attacker's seat against the bots, at full speed, to its debrief. */
async function playToTheDebrief(page: Page, level: string): Promise<void> {
  await page.getByLabel('Your nickname').fill('Mal');
  await page.getByRole('radio', { name: /Attacker/ }).check();
  await page.getByLabel('Level', { exact: true }).selectOption(level);
  await page.getByRole('button', { name: 'Practise' }).click();
  await page.getByRole('button', { name: 'Start the round' }).click();
  await page.getByRole('button', { name: 'I am ready' }).click();
  await page.getByRole('button', { name: `4×` }).click();
  await outcomeOf(page, 60_000);
}

describe('the debrief’s files', () => {
  it('the attacker saves her level-4 recording and the leaked key; no key log for her', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await playToTheDebrief(page, '4');

    const files = page.locator('section.captures');
    await files.getByRole('heading', { name: 'Open this round in Wireshark' }).waitFor();
    await expect(files.getByRole('button').allTextContents()).resolves.toEqual(['⬇ The attacker’s recording (no keys)', '⬇ The bank’s leaked private key']);
    await expect(files.textContent()).resolves.toMatch(/Preferences → Protocols → TLS → RSA keys list/);
    await expect(files.textContent()).resolves.toMatch(/this session opens — a level-4e or level-5 one never does/);

    const [recording] = await Promise.all([page.waitForEvent('download'), files.getByRole('button', { name: /recording/ }).click()]);
    expect(recording.suggestedFilename()).toBe('heist-level4-attacker-recording.pcapng');
    const capture = readPcapng(new Uint8Array(await downloaded(recording)));
    expect(capture.secrets).toEqual([]);
    expect(capture.frames.length).toBeGreaterThan(10);

    // The same recording from her panel, where it is offered during the round too.
    const [fromPanel] = await Promise.all([page.waitForEvent('download'), page.locator('#save-recording').click()]);
    expect((await downloaded(fromPanel)).equals(await downloaded(recording))).toBe(true);

    const [key] = await Promise.all([page.waitForEvent('download'), files.getByRole('button', { name: /leaked/ }).click()]);
    expect(key.suggestedFilename()).toBe('heist-level4-bank-rsa-key.pem');
    expect((await downloaded(key)).toString('utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);

    await expectAccessible(page, 'debrief with its files');
    await screenshot(page, 'debrief-captures');
    expect(player.errors).toEqual([]);
    await player.context.close();
  });

  it('after a level-1 round the same panel says nothing of keys: there are none to leak', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await playToTheDebrief(page, '1');
    const files = page.locator('section.captures');
    await files.getByRole('heading', { name: 'Open this round in Wireshark' }).waitFor();
    await expect(files.getByRole('button').allTextContents()).resolves.toEqual(['⬇ The attacker’s recording (no keys)']);
    await expect(files.textContent()).resolves.not.toMatch(/RSA|leaked|key shares/);
    expect(player.errors).toEqual([]);
    await player.context.close();
  });
});
