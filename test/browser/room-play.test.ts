/**
 * A full round of level 1 and of level 4 in one room, one browser context per role, driven
 * through the UI only against the real server; the outcome is read from the scoreboard.
 * Also: screenshots of each role's screen and the debrief, and axe-core on every screen.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { everyoneReady, expectAccessible, openPlayer, outcomeOf, screenshot, setNickname, type Player } from './support/ui.ts';

const ROLES = ['client', 'server', 'ca', 'attacker'] as const;
type Role = (typeof ROLES)[number];
const NICKNAMES: Record<Role, string> = { client: 'Alice', server: 'Bob', ca: 'Carol', attacker: 'Mallory' };

const env = useServerAndBrowser();

/** The client's player hosts; the three others join by the code the lobby shows. */
async function seatFourPlayers(level: number, checkA11y: boolean): Promise<{ pages: Record<Role, Page>; players: Record<Role, Player> }> {
  const players = {} as Record<Role, Player>;
  const host = (players.client = await openPlayer(env.browser, env.server.url));
  if (checkA11y) await expectAccessible(host.page, 'landing');
  await setNickname(host.page, NICKNAMES.client);
  await host.page.getByRole('button', { name: 'Create a game room' }).click();
  const code = (await host.page.locator('#room-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{5}$/);
  for (const role of ROLES.filter((r) => r !== 'client')) {
    const p = (players[role] = await openPlayer(env.browser, env.server.url));
    await setNickname(p.page, NICKNAMES[role]);
    await p.page.getByRole('textbox', { name: 'Room or class code' }).fill(code.toLowerCase());
    await p.page.getByRole('button', { name: 'Join a game room' }).click();
    await p.page.locator('#room-code').waitFor();
  }
  for (const role of ROLES) {
    const page = players[role].page;
    await page.getByRole('button', { name: new RegExp(`Take the .*${role === 'ca' ? 'Certificate authority' : role} seat`, 'i') }).click();
    await page.locator(`.seat.mine[data-role="${role}"]`).waitFor();
  }
  await host.page.getByLabel('Level to play').selectOption(String(level));
  await players.attacker.page.locator('.level').getByText(`Level ${level} ·`).first().waitFor();
  if (checkA11y) await expectAccessible(host.page, 'lobby');
  await host.page.getByRole('button', { name: 'Start the round' }).click();
  for (const role of ROLES) await players[role].page.locator('#role-title').waitFor();
  const pages = Object.fromEntries(ROLES.map((r) => [r, players[r].page])) as Record<Role, Page>;
  return { pages, players };
}

/** No script errors on any page, then close every context. */
async function closeAll(players: Record<Role, Player>): Promise<void> {
  for (const role of ROLES) expect(players[role].errors, `errors in ${role}'s browser console`).toEqual([]);
  for (const role of ROLES) await players[role].context.close();
}

describe('a room of four browsers', () => {
  it('plays level 1: Mallory reads the PIN off the postcard and the scoreboard says eavesdropped', async () => {
    const { pages, players } = await seatFourPlayers(1, true);
    const { client, attacker } = pages;

    // While the round prepares, Mallory sets her tap to hold packets; then everyone is ready.
    await attacker.getByRole('button', { name: /Intercept is OFF/ }).click();
    await attacker.getByRole('button', { name: /Intercept is ON/ }).waitFor();
    await everyoneReady([client, pages.server, pages.ca, attacker]);

    const pin = (await client.locator('.secret').textContent())!.trim();
    await client.getByRole('button', { name: 'Connect to bank.example' }).click();
    await client.getByRole('button', { name: 'Send PIN and transfer' }).and(client.locator(':enabled')).click();

    // The request waits at the tap; Mallory opens it and reads the PIN from its fields.
    await attacker.getByRole('button', { name: /^Inspect packet/ }).first().click();
    const inspector = attacker.locator('.inspector');
    await inspector.getByText('HttpRequest').first().waitFor();
    expect(await inspector.locator('.packet-format').innerText(), 'level 1 says it is not TLS').toMatch(/Plain HTTP\/1\.1 text \(RFC 9112\), not TLS/);
    const fieldsText = await inspector.locator('.field-tree').innerText();
    const stolen = /pin=(\d+)/.exec(fieldsText)?.[1];
    expect(stolen, 'the PIN is readable in the inspector').toBe(pin);
    // Selecting a field lights up its bytes in the hex view.
    await inspector.locator('button.field').first().click();
    expect(await inspector.locator('.byte.selected').count()).toBeGreaterThan(0);

    await attacker.getByLabel('The secret you read (e.g. the PIN)').fill(stolen!);
    await attacker.getByRole('button', { name: 'Submit', exact: true }).click();
    await attacker.getByText(`“${pin}” is the real secret.`).waitFor();
    // Let the rest pass: intercept off, then release what is held.
    await attacker.getByRole('button', { name: /Intercept is ON/ }).click();
    await attacker.getByRole('button', { name: /Intercept is OFF/ }).waitFor();
    await attacker.getByRole('button', { name: 'Forward all' }).click();

    await attacker.getByText('More tools: inject, ask the CA, try a key').click(); // axe checks the tools too
    for (const role of ROLES) {
      await expectAccessible(pages[role], `${role} panel, level 1`);
      await screenshot(pages[role], `level1-${role}`);
    }
    await client.getByRole('button', { name: `${4}×` }).click(); // the host speeds up the last seconds

    for (const role of ROLES) expect(await outcomeOf(pages[role]), `${role}'s scoreboard`).toBe('eavesdropped');
    await expect(attacker.locator('.scoreboard td[data-role="attacker"]').textContent()).resolves.toMatch(/^\+\d+/);
    await attacker.locator('.debrief').waitFor();
    await expectAccessible(attacker, 'debrief');
    await screenshot(attacker, 'level1-debrief');
    await closeAll(players);
  });

  it('plays level 4: Mallory presents a self-signed certificate, the client sees the failed checks and aborts', async () => {
    const { pages, players } = await seatFourPlayers(4, false);
    const { client, server: bank, ca, attacker } = pages;

    // The bank chooses what to have certified: the name Alice asks for, and the key level 4 seals to.
    await bank.getByRole('radio', { name: 'bank.example', exact: true }).check();
    await bank.getByRole('radio', { name: /RSA-2048 key/ }).check();
    await bank.getByRole('button', { name: /Ask the CA for a certificate/ }).click();
    const sign = ca.getByRole('button', { name: /Sign request \d+ for bank\.example/ });
    await sign.waitFor();
    // The CA looks before it signs: it fetches the ACME challenge it issued.
    await ca.getByRole('button', { name: /Fetch the challenge from bank\.example/ }).click();
    await ca.locator('.csr').first().getByText(/Domain-control check/).waitFor();
    await expect(ca.locator('.csr').first().textContent()).resolves.toMatch(/Passed: Domain-control check/);
    await sign.click();
    await bank.getByText('The CA signed your certificate.').waitFor();

    await attacker.getByLabel('Present as the bank:').selectOption('selfSignedCertificate');
    await everyoneReady([bank, ca, attacker, client]);
    await client.getByRole('button', { name: 'Connect to bank.example' }).click();
    await client.getByRole('heading', { name: '⚠ No way through: go back' }).waitFor(); // her browser has HSTS for the bank: no click-through (RFC 6797 §12.1)
    // The decision box names what failed; the browser's full list shows every check, passed or failed.
    const failedChecks = client.getByRole('list', { name: 'Failed checks' });
    expect(await failedChecks.locator('li.failed').count(), 'failed checks shown').toBeGreaterThan(0);
    await expect(failedChecks.textContent()).resolves.toMatch(/Failed: /);
    const allChecks = client.getByRole('list', { name: 'Checks your browser ran' });
    await expect(allChecks.textContent()).resolves.toMatch(/Failed: .*signature/i);
    await expect(allChecks.textContent()).resolves.toMatch(/Passed: /);
    await expect(client.locator('#padlock').count()).resolves.toBe(0);
    await client.getByRole('button', { name: 'Open the certificate in the inspector' }).click();
    await client.locator('.inspector .field-tree').getByText('subject', { exact: false }).first().waitFor();

    for (const role of ROLES) {
      await expectAccessible(pages[role], `${role} panel, level 4`);
      await screenshot(pages[role], `level4-${role}`);
    }
    await client.getByRole('button', { name: 'Go back', exact: true }).click();
    await client.getByRole('button', { name: `${4}×` }).click();
    for (const role of ROLES) expect(await outcomeOf(pages[role]), `${role}'s scoreboard`).toBe('attackDetected');
    await expect(client.locator('.debrief').innerText()).resolves.toMatch(/Caught it/);
    await screenshot(client, 'level4-debrief');
    await closeAll(players);
  });
});
