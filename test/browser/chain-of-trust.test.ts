/**
 * Level 6, the chain of trust, in the browser, practised alone against the bots from each seat:
 * - Alice (the client) meets Mallory's bank.example certificate signed with her mallory.example
 *   certificate's key: her browser names the three rules the path breaks, and the inspector
 *   shows the path it built; with nobody attacking, the path to the root holds;
 * - Mallory (the attacker) gets mallory.example certified, presents the forged chain, and the
 *   careful bot Alice refuses it;
 * - the bank chooses what its server sends (its certificate with the intermediate's), and the CA
 *   seat sees that it runs the intermediate.
 * Screenshots of each screen go to test/artifacts.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, screenshot, shoot } from './support/ui.ts';

const env = useServerAndBrowser();
/** Level 6's id inside the game (players only see "6"). */
const CHAIN = '7';


/** From the landing page into a practice round of level 6 in one seat, the other seats bots (the attacker one as given). */
async function practise(page: Page, nickname: string, role: RegExp, attacker?: string): Promise<void> {
  await page.getByLabel('Your nickname').fill(nickname);
  await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('Level', { exact: true }).selectOption(CHAIN);
  await page.getByRole('button', { name: 'Practise' }).click();
  if (attacker) await page.locator('select[data-bot="attacker"]').selectOption(attacker);
  await page.getByRole('button', { name: /Start the/ }).click();
}

/** Opens the Certificate packet Alice received in the inspector; the path block's text. */
async function pathBuilt(page: Page): Promise<string> {
  await page.locator('.packets').getByRole('button', { name: /^#\d+ Certificate$/ }).click();
  const block = page.getByRole('group', { name: 'The path your browser built from these certificates' });
  await block.waitFor();
  return (await block.innerText()).replace(/[ \t]+/g, ' ');
}

describe('level 6, the chain of trust, in the browser', () => {
  it('from the client’s seat: Mallory’s mallory.example certificate as a CA — three rules fail, and the inspector shows the path built', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Alice', /Client/);
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    const decision = page.getByRole('group', { name: '⚠ No way through: go back' }); // her browser has HSTS for the bank
    await decision.waitFor({ timeout: 60_000 });
    const failed = await page.getByRole('list', { name: 'Failed checks' }).locator('li').allInnerTexts();
    expect(failed.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      '✘ Failed: Each issuer is a CA (basicConstraints): "mallory.example" signed a certificate but is no CA: its basicConstraints say cA FALSE — a site\'s certificate cannot vouch for another',
      '✘ Failed: Each issuer may sign certificates (keyCertSign): "mallory.example"\'s key may not sign certificates: its keyUsage is digitalSignature, without keyCertSign',
      '✘ Failed: No more intermediate CAs than allowed (pathLenConstraint): "Heist Issuing CA" may have at most 0 intermediate CAs under it (pathLenConstraint), and has 1',
    ]);
    const allChecks = await page.getByRole('list', { name: 'Checks your browser ran' }).innerText();
    expect(allChecks).toContain('good signatures all the way: "bank.example" ← "mallory.example" ← "Heist Issuing CA" ← "Heist Root CA"');
    await screenshot(page, 'level6-client-forged-chain');

    const built = await pathBuilt(page);
    expect(built).toContain('bank.example — the site’s certificate, signed by mallory.example');
    expect(built).toContain('mallory.example — sent as a CA, but its certificate says cA FALSE, signed by Heist Issuing CA');
    expect(built).toContain('Heist Issuing CA — a CA certificate (cA TRUE), signed by Heist Root CA');
    expect(built).toContain('Heist Root CA — in your trust store: the path ends at a root you already trust');
    expect(built).toContain('The path does not hold: your browser says so in its checks.');
    await expectAccessible(page, 'level 6 client, forged chain in the inspector');
    await shoot(page, '.inspector', 'level6-client-inspector-forged-path');

    await decision.getByRole('button', { name: 'Go back' }).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('attackDetected');
    await expect(page.locator('.debrief-checks tr', { hasText: 'Each issuer is a CA (basicConstraints)' }).innerText()).resolves.toMatch(/Caught it/);
    await screenshot(page, 'level6-client-debrief');
    await shoot(page, '.debrief', 'level6-client-debrief-only');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);

  it('from the client’s seat with nobody attacking: the path bank.example ← Heist Issuing CA ← Heist Root CA holds, and the transfer is secure', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Alice', /Client/, 'none');
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    await page.locator('#padlock').waitFor({ timeout: 60_000 });
    const built = await pathBuilt(page);
    expect(built).toContain('bank.example — the site’s certificate, signed by Heist Issuing CA');
    expect(built).toContain('Heist Issuing CA — a CA certificate (cA TRUE), signed by Heist Root CA');
    expect(built).toContain('Every link holds.');
    await shoot(page, '.inspector', 'level6-client-inspector-path');
    await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('secure');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);

  it('from the attacker’s seat: she gets mallory.example certified, signs bank.example with its key, and careful Alice’s browser refuses the path', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Mal', /Attacker/);
    const persona = page.locator('#substitute option[value="signedWithOwnCertificate"]');
    await expect(persona.innerText()).resolves.toBe('a bank.example certificate she signed as mallory.example — you hold no certificate for mallory.example from the CA: ask the CA for one first');
    await page.getByText('More tools: inject, ask the CA, try a key').click();
    await page.getByLabel('For the name').fill('mallory.example');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.locator('#substitute option[value="signedWithOwnCertificate"]:not([disabled])').waitFor({ state: 'attached', timeout: 30_000 });
    await page.locator('#substitute').selectOption('signedWithOwnCertificate');
    await page.getByText('Substitution ready (a bank.example certificate she signed as mallory.example): your proxy will take the next connection.').first().waitFor();
    await expectAccessible(page, 'level 6 attacker, persona chosen');
    await screenshot(page, 'level6-attacker-persona');
    await page.getByRole('button', { name: 'I am ready' }).click();

    // Her proxy answered Alice with the forged certificate and her own two after it.
    const sent = page.locator('.captured').getByRole('button', { name: /^#\d+ Certificate$/ }).first();
    await sent.waitFor({ timeout: 60_000 });
    await sent.click();
    const tree = page.locator('.inspector .field-tree').first();
    await expect(tree.innerText()).resolves.toMatch(/certificate: bank\.example, issued by mallory\.example[\s\S]*chain\.0: mallory\.example, issued by Heist Issuing CA[\s\S]*chain\.1: Heist Issuing CA, issued by Heist Root CA/);
    await shoot(page, '.inspector', 'level6-attacker-inspector-forged-certificate');
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('attackDetected');
    await screenshot(page, 'level6-attacker-debrief');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);

  it('from the bank’s seat: the CA sends the intermediate’s certificate with its own, and the bank chooses to send both', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Bob', /Server/, 'none');
    await page.getByRole('radio', { name: 'bank.example', exact: true }).check();
    await page.getByRole('radio', { name: /ECDSA P-256 key/ }).check();
    await page.getByRole('button', { name: /Ask the CA for a certificate/ }).click();
    await page.getByText('The CA signed your certificate.').waitFor({ timeout: 30_000 });
    const chain = page.getByRole('group', { name: 'What your server sends to browsers' });
    await expect(chain.innerText()).resolves.toContain('The CA sent your certificate with Heist Issuing CA’s (Heist Issuing CA is signed by Heist Root CA). Browsers trust only the root: from your certificate alone they cannot reach it.');
    await expect(chain.innerText()).resolves.toContain('Not chosen yet: until you choose, your server sends your certificate alone.');
    await expect(page.getByRole('button', { name: 'I am ready' }).isDisabled()).resolves.toBe(true);
    await expectAccessible(page, 'level 6 bank, chain choice');
    await shoot(page, '.certificate', 'level6-bank-chain-choice');
    await chain.getByRole('radio', { name: /fullchain\.pem/ }).check();
    await page.getByRole('button', { name: 'I am ready' }).and(page.locator(':enabled')).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('secure');
    await screenshot(page, 'level6-bank-after');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);

  it('from the CA’s seat: it runs Heist Issuing CA, an intermediate the root signed, and can open its own certificate', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    const { page } = player;
    await practise(page, 'Carol', /Certificate authority/, 'none');
    await page.getByRole('heading', { name: 'Certificate authority — Heist Issuing CA' }).waitFor();
    await expect(page.locator('#ca-intermediate').innerText()).resolves.toContain('You run Heist Issuing CA, an intermediate CA. Heist Root CA, the root whose key is in every trust store, signed your certificate and stays offline.');
    await page.getByRole('button', { name: 'Open your own certificate in the inspector' }).click();
    await expect(page.locator('.inspector .field-tree').innerText()).resolves.toMatch(/basicConstraints \(critical\): cA TRUE, pathLen 0/);
    const request = page.locator('.csr').first();
    await request.getByRole('button', { name: /Fetch the challenge from bank\.example/ }).click({ timeout: 30_000 });
    await request.getByText(/Passed: Domain-control check/).waitFor();
    await expectAccessible(page, 'level 6 CA panel');
    await screenshot(page, 'level6-ca');
    await shoot(page, '.network', 'level6-ca-map');
    await page.getByRole('button', { name: /Sign request \d+ for bank\.example/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).and(page.locator(':enabled')).click();
    await page.getByRole('button', { name: '4×' }).click();
    expect(await outcomeOf(page, 90_000)).toBe('secure');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 240_000);
});
