/** Driving the client as a player would: by labels, buttons and what the screen says. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, BrowserContextOptions, Download, LocatorScreenshotOptions, Page, PageScreenshotOptions } from 'playwright-core';
import { expect } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const artifacts = path.join(root, 'test/artifacts');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Player {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** One browser context per player: its own storage, as on its own laptop. */
export async function openPlayer(
  browser: Browser,
  url: string,
  viewport = { width: 1366, height: 768 },
  options: Pick<BrowserContextOptions, 'reducedMotion' | 'deviceScaleFactor'> = {},
): Promise<Player> {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.getByRole('heading', { name: 'Handshake Heist' }).waitFor();
  return { context, page, errors };
}

export async function setNickname(page: Page, nickname: string): Promise<void> {
  await page.getByLabel('Your nickname').fill(nickname);
}

/**
 * Pictures of the screens, for a person to look at (test/artifacts). `npm test` asserts what the
 * screens show and takes none: nobody looks at them there, and they cost the browser files
 * alone 50 s of their 446 s and 112 s of Chromium's CPU (docs/benchmarks.md). `npm run
 * test:photos` takes every one (HEIST_PHOTOS=1).
 * A failing test's pictures of every page are taken either way (failurePictures).
 */
export const photographing = process.env.HEIST_PHOTOS === '1';

async function picture(take: (file: string) => Promise<unknown>, name: string): Promise<void> {
  fs.mkdirSync(artifacts, { recursive: true });
  await take(path.join(artifacts, `${name}.png`));
}

/** The whole page, for a reviewer (taken only when photographing). */
export async function screenshot(page: Page, name: string, options: Pick<PageScreenshotOptions, 'scale' | 'clip'> = {}): Promise<void> {
  if (photographing) await picture((file) => page.screenshot({ path: file, fullPage: true, ...options }), name);
}

/** A picture of a page whose test failed (taken either way; a page already gone leaves none). */
export async function failurePicture(page: Page, name: string): Promise<void> {
  await picture((file) => page.screenshot({ path: file, fullPage: true }), name).catch(() => undefined);
}

/** A picture of every page open in `browser`, when a test fails: `${prefix}-0.png`, … */
export async function failurePictures(browser: Browser, prefix: string): Promise<void> {
  for (const [i, page] of browser.contexts().flatMap((c) => c.pages()).entries()) await failurePicture(page, `${prefix}-${i}`);
}

/** The bytes of a file the page downloaded (saved from the shared Chromium, which runs in another process). */
export async function downloaded(download: Download): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-download-'));
  try {
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** axe-core on the current page: no serious or critical violations. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses an inline <script>.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `${what}: serious or critical accessibility violations`).toEqual([]);
}

/** Wait until the scoreboard shows an outcome; return its code. */
export async function outcomeOf(page: Page, timeout = 60_000): Promise<string> {
  // This round's scoreboard, not the folded one of the round before (class play keeps it).
  const outcome = page.locator('.results-main .scoreboard .outcome');
  await outcome.waitFor({ timeout });
  return (await outcome.getAttribute('data-outcome')) ?? '';
}

/**
 * Every seat says Ready (after setting up), and play begins: Alice may connect. A seat is ready
 * once any one of its people says so, so a teammate may find the button already gone.
 */
export async function everyoneReady(pages: Page[]): Promise<void> {
  for (const page of pages) {
    const button = page.getByRole('button', { name: 'I am ready' });
    if (!(await button.isVisible())) continue;
    // The button goes once the seat is ready (a teammate was quicker): only a button still there is a failure.
    await button.click({ timeout: 5_000 }).catch(async (e: unknown) => {
      if (await button.isVisible()) throw e;
    });
  }
  for (const page of pages) await page.locator('#preparing-title').waitFor({ state: 'detached' });
}

/**
 * How many animation frames the page asks for in `ms`. A page that asks for them is composited at
 * the display's rate, whether or not it draws anything new.
 */
export function framesAsked(page: Page, ms: number): Promise<number> {
  return page.evaluate(async (ms) => {
    let asked = 0;
    const ask = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) => (asked++, ask(callback));
    await new Promise((r) => setTimeout(r, ms));
    window.requestAnimationFrame = ask;
    return asked;
  }, ms);
}

/** One part of the screen (the first match of `selector`), for a reviewer to read at full size. */
export async function shoot(page: Page, selector: string, name: string, options: Pick<LocatorScreenshotOptions, 'scale'> = {}): Promise<void> {
  if (!photographing) return;
  // A view arriving mid-shot redraws the part (the lobby does at each echo of the host's choices): shoot the new one.
  for (let attempt = 1; ; attempt++) {
    try {
      await picture((file) => page.locator(selector).first().screenshot({ path: file, ...options }), name);
      return;
    } catch (e) {
      if (attempt === 3 || !/not attached to the DOM/.test((e as Error).message)) throw e;
    }
  }
}

/**
 * From the landing page into a practice round's lobby in one seat at `level` (its id: 4e is 6),
 * with `event` switched on, and one bot's behaviour changed where given.
 */
export async function practiseEvent(page: Page, seat: Seat, level: string, event: string, bot?: { seat: 'client' | 'server' | 'attacker'; behaviour: string }): Promise<void> {
  await practiseAs(page, seat, level);
  // The event is offered once the room shows the level; its briefing, once the room has it on.
  await page.locator('#lobby-event').selectOption(event, { timeout: 60_000 });
  await page.locator(`.event-briefing[data-event="${event}"]`).waitFor();
  if (bot) await page.locator(`select[data-bot="${bot.seat}"]`).selectOption(bot.behaviour);
}

/** As practiseEvent, but the way the practice screen's map offers it: its "+ title" button on `level`'s line. */
export async function practiseFromMap(page: Page, seat: Seat, level: string, event: string, title: string): Promise<void> {
  await practiseAs(page, seat);
  await page.locator(`.map-panel .map-step[data-map-level="${level}"]`).getByRole('button', { name: `+ ${title}` }).click({ timeout: 60_000 });
  await page.locator(`.event-briefing[data-event="${event}"]`).waitFor({ timeout: 60_000 });
}

type Seat = { nickname: string; role: RegExp };

/** From the landing page into a practice room in one seat (at `level`, chosen on the landing page, where given). */
async function practiseAs(page: Page, seat: Seat, level?: string): Promise<void> {
  await page.getByLabel('Your nickname').fill(seat.nickname);
  await page.getByRole('radio', { name: seat.role }).check();
  if (level !== undefined) await page.getByLabel('Level', { exact: true }).selectOption(level);
  await page.getByRole('button', { name: 'Practise' }).click();
}
