/**
 * What one open page of the game costs a school laptop: the CPU that Chromium (all its
 * processes: page, GPU and browser) uses while one player sits on each screen, read from
 * /proc before and after each spell (Linux only). Headless Chromium draws with SwiftShader,
 * the software renderer a laptop without a usable GPU falls back to.
 *
 *   npx tsx test/bench/page-cpu.ts                (each spell 8 s; --seconds N to change)
 *
 * The game is served as the README starts it (`npm start -w server`, the client built); one
 * player practises level 2 as the client, bots in the other seats.
 */
import fs from 'node:fs';
import { launchChromium } from '../browser/support/chromium.ts';
import { startTestServer } from '../browser/support/server.ts';
import { framesAsked } from '../browser/support/ui.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 8;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds used so far by every Chromium process alive now. */
function chromiumCpu(): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chrom')) continue;
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks / TICKS_PER_SECOND;
}

async function spell(what: string): Promise<void> {
  const cpu = chromiumCpu();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const share = (chromiumCpu() - cpu) / ((performance.now() - started) / 1000);
  console.log(`${what.padEnd(48)} ${share.toFixed(2)} of a core`);
}

const server = await startTestServer({ latencyMs: 1500 });
const browser = await launchChromium();
try {
  await spell('Chromium, no page');
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByLabel('Your nickname').fill('Sam');
  await spell('the landing page');
  await page.getByLabel('Level', { exact: true }).selectOption('2');
  await page.getByRole('button', { name: 'Practise' }).click();
  await page.getByRole('button', { name: 'Start the round' }).click();
  await page.locator('#role-title').waitFor();
  await new Promise((r) => setTimeout(r, 2000)); // the first frames (shaders, textures) settle
  console.log(`animation frames asked for in 1 s of a still map: ${await framesAsked(page, 1000)}`);
  await spell('a round being prepared (the map still)');
  await page.getByRole('button', { name: 'I am ready' }).click();
  await page.getByRole('button', { name: 'Connect to bank.example' }).click();
  await spell('the handshake (parcels travelling, 1.5 s a hop)');
  await page.getByRole('button', { name: 'Send PIN and transfer' }).and(page.locator(':enabled')).click({ timeout: 60_000 });
  await page.locator('.scoreboard .outcome').waitFor({ timeout: 120_000 });
  await spell('the round over (the map still)');
} finally {
  await browser.close();
  await server.close();
}
