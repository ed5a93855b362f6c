/**
 * The role panels as students use them: a team of two plays Mallory and the timeline names who
 * did what; the bank chooses what to have certified; the CA reads a request's evidence and looks
 * things up before signing; Mallory presents her own valid certificate for mallory.example and
 * Alice's name check catches it. Then one student practising the attacker: the countdown and
 * "I'm done", a refused persona that reverts visibly, and "Play again" keeping nothing typed.
 * Screenshots of each panel in test/artifacts.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { everyoneReady, expectAccessible, openPlayer, outcomeOf, photographing, screenshot, setNickname, type Player } from './support/ui.ts';

const env = useServerAndBrowser();

async function join(code: string, nickname: string, seat: RegExp): Promise<Player> {
  const p = await openPlayer(env.browser, env.server.url);
  await setNickname(p.page, nickname);
  await p.page.getByRole('textbox', { name: 'Room or class code' }).fill(code);
  await p.page.getByRole('button', { name: 'Join a game room' }).click();
  await p.page.locator('#room-code').waitFor();
  await p.page.getByRole('button', { name: seat }).click();
  return p;
}

/** One part of the page, as it is now (the panels redraw as views arrive, so no waiting for them to hold still). */
async function part(page: Page, selector: string, name: string): Promise<void> {
  if (!photographing) return;
  const box = await page.locator(selector).first().boundingBox();
  const scroll = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  if (box) await screenshot(page, name, { clip: { ...box, x: box.x + scroll.x, y: box.y + scroll.y } });
}

/** The persona select's chosen option, as the player sees it. */
const persona = (page: Page) => page.locator('#substitute').evaluate((s: HTMLSelectElement) => s.value);

describe('a room with a team of two attackers, a human bank and a human CA', () => {
  it('level 4: the CA reads the evidence, Mallory presents her mallory.example certificate, the name check catches it, and the timeline names each attacker', async () => {
    const alice = await openPlayer(env.browser, env.server.url);
    await setNickname(alice.page, 'Alice');
    await alice.page.getByRole('button', { name: 'Create a game room' }).click();
    const code = (await alice.page.locator('#room-code').textContent())!.trim();
    await alice.page.getByRole('button', { name: /Take the Client seat/ }).click();
    const bob = await join(code, 'Bob', /Take the Server seat/);
    const carol = await join(code, 'Carol', /Take the Certificate authority seat/);
    const grace = await join(code, 'Grace', /Take the Attacker seat/);
    const ada = await join(code, 'Ada', /Take the Attacker seat/);
    const everyone = [alice, bob, carol, grace, ada];
    // Five live rounds left open by a failure would starve the tests after this one.
    onTestFinished(async () => {
      for (const p of everyone) await p.context.close();
    });
    await alice.page.getByLabel('Level to play').selectOption('4');
    await grace.page.locator('.level').getByText('Level 4 ·').first().waitFor();
    await alice.page.getByRole('button', { name: 'Start the round' }).click();
    for (const p of everyone) await p.page.locator('#role-title').waitFor();
    const [a, b, c, g, m] = everyone.map((p) => p.page) as [Page, Page, Page, Page, Page];

    // The bank chooses: nothing is picked for it.
    await expect(b.getByRole('button', { name: /Ask the CA for a certificate/ }).isDisabled()).resolves.toBe(true);
    await b.getByRole('radio', { name: 'bank.example', exact: true }).check();
    await b.getByRole('radio', { name: /RSA-2048 key/ }).check();
    await screenshot(b, 'panels-bank-certificate-choice');
    await part(b, '.certificate', 'panels-bank-certificate-choice-only');
    await b.getByRole('button', { name: /Ask the CA for a certificate/ }).click();

    // The CA looks before it signs: the challenge it issued, and the owner record.
    const first = c.locator('.csr').nth(0);
    await first.getByRole('button', { name: 'Fetch the challenge from bank.example (http-01)' }).click();
    await first.getByText(/Passed: Domain-control check/).waitFor();
    await first.getByRole('button', { name: 'Look up who owns the name (WHOIS)' }).click();
    await first.getByText(/Owner record: bank\.example: registrant: Bank of Example plc/).waitFor();
    await c.getByRole('button', { name: 'Sign request 1 for bank.example' }).click();
    await b.getByText('The CA signed your certificate.').waitFor();

    // Grace holds packets at the tap; Ada (same seat) sees it, and that nothing is held yet.
    await g.getByRole('button', { name: /Intercept is OFF/ }).click();
    await m.getByRole('button', { name: /Intercept is ON/ }).waitFor();
    await m.getByText('Nothing held yet: packets stop here as they arrive at your tap.').waitFor();
    // Her own name's certificate cannot be presented before she has it, and the select says why.
    await expect(m.locator('#substitute option[value="ownNameCertificate"]').isDisabled()).resolves.toBe(true);
    await m.getByText('More tools: inject, ask the CA, try a key').click();
    await m.getByLabel('For the name').fill('mallory.example');
    await m.getByRole('button', { name: 'Send request' }).click();
    await m.getByText('2 of 3 certificate requests left this round.').waitFor();

    const second = c.locator('.csr').nth(1);
    await second.getByRole('button', { name: /Fetch the challenge from mallory\.example/ }).click();
    await second.getByText(/Passed: Domain-control check/).waitFor();
    await c.getByRole('button', { name: 'Sign request 2 for mallory.example' }).click();

    // Ada tries bank.example too: the CA's records already say a lot before it looks.
    await m.getByLabel('For the name').fill('bank.example');
    await m.getByRole('button', { name: 'Send request' }).click();
    const third = c.locator('.csr').nth(2);
    await third.getByText(/you already signed a certificate for bank\.example this round/).waitFor();
    await expect(third.innerText()).resolves.toMatch(/the same public key is in request #2, for mallory\.example/);
    await third.getByRole('button', { name: /Fetch the challenge from bank\.example/ }).click();
    await third.getByText(/Failed: Domain-control check/).waitFor();
    await expectAccessible(c, 'CA panel with a request\'s evidence');
    await screenshot(c, 'panels-ca-evidence');
    await part(c, '.csr:nth-child(3)', 'panels-ca-request-3-only');
    await c.getByRole('button', { name: 'Refuse request 3 for bank.example' }).click();

    await m.locator('#substitute option[value="ownNameCertificate"]:not([disabled])').waitFor({ state: 'attached' });
    await m.locator('#substitute').selectOption('ownNameCertificate');
    await expect.poll(() => persona(g)).toBe('ownNameCertificate');
    await everyoneReady([b, c, g, a]);

    // Alice connects; Grace lets the held hello through to the proxy and turns intercept off.
    await a.getByRole('button', { name: 'Connect to bank.example' }).click();
    await g.getByRole('button', { name: 'Forward all' }).and(g.locator(':enabled')).click();
    await g.getByRole('button', { name: /Intercept is ON/ }).click();
    await a.getByRole('heading', { name: '⚠ No way through: go back' }).waitFor(); // her browser has HSTS for the bank: no click-through (RFC 6797 §12.1)
    const failed = a.getByRole('list', { name: 'Failed checks' });
    await expect(failed.innerText()).resolves.toMatch(/Name matches the site you asked for: name mismatch: certificate is for mallory\.example, you asked for bank\.example/);
    expect(await failed.locator('li').count()).toBe(1);
    await screenshot(a, 'panels-client-name-mismatch');
    await a.getByRole('button', { name: 'Go back', exact: true }).click();

    for (const p of everyone) expect(await outcomeOf(p.page), p.page.url()).toBe('attackDetected');
    const lines = await g.locator('.timeline-list').innerText();
    expect(lines).toMatch(/Mallory \(Grace\)\s*Intercept on/);
    expect(lines).toMatch(/Mallory \(Ada\)\s*Asked the CA for a certificate for mallory\.example/);
    expect(lines).toMatch(/Mallory \(Grace\)\s*Forwarded/);
    await expectAccessible(g, 'attacker team after the round');
    await screenshot(g, 'panels-attacker-team-timeline');
    await part(g, '.panel.timeline', 'panels-attacker-team-timeline-only');
    await expect(a.locator('.debrief-checks tr', { hasText: 'Name matches the site you asked for' }).innerText()).resolves.toMatch(/Caught it/);
    for (const p of everyone) expect(p.errors).toEqual([]);
    for (const p of everyone) await p.context.close();
  }, 180_000); // five browsers on a shared machine
});

describe('practising the attacker', () => {
  it('level 1: a countdown to prove what she read, "I\'m done" ends it, and Play again keeps nothing typed', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    onTestFinished(() => player.context.close());
    const { page } = player;
    await page.getByLabel('Your nickname').fill('Mal');
    await page.getByRole('radio', { name: /Attacker/ }).check();
    await page.getByLabel('Level', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Practise' }).click();
    await page.getByRole('button', { name: 'Start the round' }).click();
    await page.getByText('Nothing held. Turn intercept on to stop packets at the tap.').waitFor();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByLabel('The secret you read (e.g. the PIN)').fill('1234');

    // The bots' conversation ends; she could still prove the PIN she can read, so the referee waits — visibly.
    await page.getByText(/The conversation is over\. You have \d+ s to prove what you read \(Time left counts them down\)/).waitFor({ timeout: 30_000 });
    await expect(page.locator('.timeline-list').innerText()).resolves.toMatch(/You have \d+ s to prove what you read/); // the server sets how long (CLOSING_MS)
    await screenshot(page, 'panels-attacker-countdown');
    await page.getByRole('button', { name: 'I’m done' }).click();
    expect(await outcomeOf(page, 5_000)).toBe('unprotected');

    await page.getByRole('button', { name: 'Play again' }).click();
    await page.getByRole('button', { name: 'I am ready' }).waitFor();
    await expect(page.getByLabel('The secret you read (e.g. the PIN)').inputValue()).resolves.toBe('');
    expect(player.errors).toEqual([]);
    await player.context.close();
  }, 120_000);

  it('level 4: a persona the round refuses reverts visibly, and the select says why it cannot be changed', async () => {
    const player = await openPlayer(env.browser, env.server.url);
    onTestFinished(() => player.context.close());
    const { page } = player;
    await page.getByLabel('Your nickname').fill('Mal');
    await page.getByRole('radio', { name: /Attacker/ }).check();
    await page.getByLabel('Level', { exact: true }).selectOption('4');
    await page.getByRole('button', { name: 'Practise' }).click();
    await page.getByRole('button', { name: 'Start the round' }).click();
    await page.locator('#substitute').waitFor();

    // Paused, the room refuses her move: the select goes back to what her proxy really presents.
    await page.getByRole('button', { name: '❚❚ Pause' }).click();
    await page.locator('#substitute').selectOption('selfSignedCertificate');
    await page.getByText('⚠ The game is paused.').waitFor();
    expect(await persona(page)).toBe('off');
    await page.getByRole('button', { name: '1×' }).click();
    await page.getByRole('button', { name: /Intercept is OFF/ }).click(); // her next move: the panel learns the persona was not taken
    await page.locator('#substitute-note').getByText(/Not taken: the round did not take it/).waitFor();
    expect(await persona(page)).toBe('off');

    // Alice's hello passes the tap: now too late, and the panel says so beside the select.
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: 'Forward all' }).and(page.locator(':enabled')).click({ timeout: 30_000 });
    await page.locator('#substitute-note').getByText(/too late: the client's first handshake message already passed/).waitFor({ timeout: 30_000 });
    await expect(page.locator('#substitute').isDisabled()).resolves.toBe(true);
    expect(await persona(page)).toBe('off');
    await screenshot(page, 'panels-attacker-persona-too-late');
    expect(player.errors).toEqual([]);
    await player.context.close();
  });
});
