/**
 * Every screen at the sizes the game is used at — a school laptop (1366×768), a small laptop or
 * tablet (800×600), a phone (390×844) — photographed into test/artifacts and checked for what
 * a player at that size would notice: the page never scrolls sideways, the network map's text
 * stays readable (≥ 12 CSS px) in its row or column layout and its parcels answer clicks, the
 * outcome comes into view when a round ends, tables fit, pressed buttons keep their contrast,
 * inner scroll boxes show there is more and scroll by keyboard, the briefing and its Start
 * button fit above the fold, the teacher's tables fit. The axe check runs on each screen at 390 px.
 *
 * One server and one browser; practice rounds with bots, then a class of two (bots fill the seats).
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { NetworkProbe } from '../../client/src/phaser/networkProbe.ts';
import { LEVEL_INFO } from '../../client/src/content/levels.ts';
import { LEVELS } from '../../shared/src/basics/levels.ts';
import { useServerAndBrowser } from './support/lifecycle.ts';
import { expectAccessible, openPlayer, outcomeOf, screenshot, setNickname, shoot as shootPart, type Player } from './support/ui.ts';
import { nth } from '../support/nth.ts';

// Parcels take a second to cross, so one can be caught mid-wire; the host speeds up the rest.
const env = useServerAndBrowser({ latencyMs: 1000 });

interface Size {
  tag: string;
  width: number;
  height: number;
}
const LAPTOP: Size = { tag: '1366', width: 1366, height: 768 };
const SMALL: Size = { tag: '800', width: 800, height: 600 };
const PHONE: Size = { tag: '390', width: 390, height: 844 };
const SIZES = [LAPTOP, SMALL, PHONE];

declare global {
  interface Window {
    __heistNetwork?: () => NetworkProbe;
  }
}

/** After a resize: the map has been laid out for its new box and drawn. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const host = document.querySelector('.network-canvas');
    if (!host?.isConnected) return true; // no map on this screen
    const probe = window.__heistNetwork?.();
    return !!probe && Math.abs(host.getBoundingClientRect().width - probe.canvas.width) < 1.5;
  });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Nothing makes the page scroll sideways: a phone user would have to pan to read it. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const wide = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const width = document.documentElement.scrollWidth;
    if (width <= limit) return '';
    // What sticks out, and is not inside a box that scrolls or clips it.
    const clipped = (el: Element): boolean => {
      if (/absolute|fixed/.test(getComputedStyle(el).position)) return false; // a scroll box does not clip what it does not contain
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= limit + 1) return true;
      return false;
    };
    const culprits = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 1 && el.checkVisibility() && !clipped(el))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`);
    return `${width} px wide: ${culprits.join(', ')}`;
  });
  expect(wide, `${what}: wider than the ${page.viewportSize()?.width} px page`).toBe('');
}

async function photograph(page: Page, name: string): Promise<void> {
  await screenshot(page, `screen-${name}`, { scale: 'css' });
}

/** The screen at each size: no sideways scroll, a photograph, and the axe check on the phone. */
async function shoot(page: Page, name: string, sizes: Size[] = SIZES, each?: (size: Size) => Promise<void>): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await settle(page);
    await photograph(page, `${name}-${size.tag}`);
    await expectNoSidewaysScroll(page, `${name} at ${size.tag}`);
    await each?.(size);
    if (size === PHONE) await expectAccessible(page, `${name} at 390 px`);
  }
  await page.setViewportSize({ width: LAPTOP.width, height: LAPTOP.height });
  await settle(page);
}

/** The network map at this size: its layout, every text ≥ 12 CSS px, inside the canvas, no two map labels on top of each other. */
async function checkMap(page: Page, size: Size, orientation: 'by width' | 'any' = 'by width'): Promise<NetworkProbe> {
  const probe = await page.evaluate(() => window.__heistNetwork!());
  const where = `network map at ${size.width}×${size.height}`;
  // Phones get the column, laptops the row; in between, whichever the map's box allows.
  if (orientation === 'by width' && size.width <= 430) expect(probe.orientation, where).toBe('portrait');
  if (orientation === 'by width' && size.width >= 800) expect(probe.orientation, where).toBe('landscape');
  const ratio = await page.evaluate(() => Math.min(2, window.devicePixelRatio));
  expect(Math.abs(probe.canvas.pixelWidth - probe.canvas.width * ratio), `${where}: ${probe.canvas.pixelWidth} canvas pixels for ${probe.canvas.width} CSS px`).toBeLessThanOrEqual(ratio);
  expect(probe.texts.length, `${where}: the nodes' names, Mallory's`).toBeGreaterThanOrEqual(8);
  for (const t of probe.texts) {
    expect(t.fontPx, `${where}: “${t.text}” in CSS px`).toBeGreaterThanOrEqual(12);
    expect(t.left, `${where}: “${t.text}” inside the map`).toBeGreaterThanOrEqual(probe.canvas.left - 0.5);
    expect(t.right, `${where}: “${t.text}” inside the map`).toBeLessThanOrEqual(probe.canvas.left + probe.canvas.width + 0.5);
    expect(t.top, `${where}: “${t.text}” inside the map`).toBeGreaterThanOrEqual(probe.canvas.top - 0.5);
    expect(t.bottom, `${where}: “${t.text}” inside the map`).toBeLessThanOrEqual(probe.canvas.top + probe.canvas.height + 0.5);
  }
  const fixed = probe.texts.filter((t) => t.kind !== 'wire');
  for (const [i, a] of fixed.entries())
    for (const b of fixed.slice(i + 1)) {
      const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      expect(overlap, `${where}: “${a.text}” and “${b.text}” overlap`).toBe(false);
    }
  return probe;
}

/** Click a parcel where the map draws it, as a player would: the inspector opens that packet. */
async function clickParcel(page: Page, status: 'held' | 'inFlight'): Promise<void> {
  await page.locator('.network-canvas').scrollIntoViewIfNeeded();
  const probe = await page.evaluate(() => window.__heistNetwork!());
  const parcel = probe.parcels.find((p) => p.status === status);
  expect(parcel, `a ${status} parcel on the map`).toBeDefined();
  await page.mouse.click(parcel!.x, parcel!.y);
  await expect.poll(() => page.locator('.inspector .packet-header').textContent()).toMatch(new RegExp(`^#${parcel!.id} `));
}

/** WCAG contrast of an element's text against its own background. */
async function contrastOf(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const rgb = (c: string): [number, number, number] => {
      const [r, g, b] = (c.match(/[\d.]+/g) ?? []).map(Number);
      if (r === undefined || g === undefined || b === undefined) throw new Error(`not a colour: ${c}`);
      return [r, g, b];
    };
    const lum = ([r, g, b]: [number, number, number]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const style = getComputedStyle(el);
    const [text, background] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))];
    return (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
  });
}

/** Where an element is drawn (the lobby redraws on every change: ask again until it stands still). */
async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let box: Awaited<ReturnType<Locator['boundingBox']>> = null;
  await expect.poll(async () => (box = await locator.boundingBox())).not.toBeNull();
  return box!;
}

async function practise(player: Player, role: RegExp, level: number): Promise<Page> {
  const { page } = player;
  await setNickname(page, 'Sam');
  await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('Level', { exact: true }).selectOption(String(level));
  await page.getByRole('button', { name: 'Practise' }).click();
  await page.getByRole('heading', { name: 'Practice round' }).waitFor();
  return page;
}

async function pauseNetwork(page: Page): Promise<void> {
  await page.getByRole('button', { name: '❚❚ Pause' }).click();
  await expect.poll(() => page.getByRole('button', { name: '❚❚ Pause' }).getAttribute('aria-pressed')).toBe('true');
}

async function leave(page: Page): Promise<void> {
  await page.locator('#leave-game').click();
  await page.getByRole('heading', { name: 'Handshake Heist' }).waitFor();
}

// Generous: on a busy two-core machine a round with screenshots at three sizes can take a minute.
describe('every screen at 1366, 800 and 390 px', { timeout: 120_000 }, () => {
  it('the landing page, and the attacker’s round: the map in a row and in a column, held and moving parcels, pressed buttons', async () => {
    const player = await openPlayer(env.browser, env.server.url, LAPTOP);
    const { page } = player;
    await shoot(page, 'landing');

    await practise(player, /Attacker/, 4);
    await page.getByRole('button', { name: 'Start the round' }).click();
    // While the round prepares: the tap holds packets; then she is ready and Alice may connect.
    await page.getByRole('button', { name: /Intercept is OFF/ }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    // The ClientHello waits at the tap (or, if it passed before intercept was on, the bank's answer does): on to the answer.
    const held = async () => Number(/\((\d+)\)/.exec((await page.getByRole('heading', { name: /^Held packets/ }).textContent()) ?? '')?.[1] ?? 0);
    await expect.poll(held, { timeout: 30_000 }).toBeGreaterThan(0);
    if ((await held()) < 2) {
      await page.getByRole('button', { name: 'Forward all' }).click();
      await expect.poll(held, { timeout: 30_000 }).toBeGreaterThan(1);
    }
    // A held packet in the inspector is TLS 1.2 itself: record → handshake → extension, and a
    // field's bytes are the ones marked in the hex view.
    await page.locator('.held-list li').first().getByRole('button', { name: /^Inspect packet/ }).click();
    const inspector = page.locator('.inspector');
    await expect.poll(() => inspector.locator('.packet-format').innerText()).toMatch(/TLS 1\.2 itself \(RFC 5246/);
    const nested = inspector.locator('li:has(> button[data-path="record"]) li:has(> button[data-path="handshake"]) li:has(> button[data-path="extensions"]) button[data-path="extensions.0"]');
    expect(await nested.count(), 'record → handshake → extensions → extension').toBe(1);
    await inspector.locator('button.field[data-path="random"]').click();
    const shown = (await inspector.locator('.field-full').innerText()).trim();
    const marked = (await inspector.locator('.hex-view .byte.selected').allInnerTexts()).join('');
    expect(marked.length, 'the random is 32 bytes').toBe(64);
    expect(marked, 'the marked bytes are the random the tree shows').toBe(shown);

    // One parcel goes on, slowly, and the network pauses while it is on the wire; the rest of the
    // flight (TLS 1.2: ServerHello, Certificate, ServerHelloDone, one record each) stays held.
    const heldBefore = await held();
    await page.getByRole('button', { name: '½×' }).click();
    await page.locator('.held-list li').first().getByRole('button', { name: /^Forward packet/ }).click();
    await pauseNetwork(page);
    await expect.poll(async () => (await page.evaluate(() => window.__heistNetwork!())).parcels.map((p) => p.status).sort()).toEqual([...Array<string>(heldBefore - 1).fill('held'), 'inFlight']);

    // From a 360 px phone up: a column on phones, a row where there is room.
    for (const size of [{ tag: '360', width: 360, height: 740 }, { tag: '480', width: 480, height: 900 }, { tag: '600', width: 600, height: 900 }, { tag: '1024', width: 1024, height: 768 }]) {
      await page.setViewportSize(size);
      await settle(page);
      await checkMap(page, size);
    }
    await shoot(page, 'play-attacker', SIZES, async (size) => {
      await checkMap(page, size);
      await shootPart(page, '.network', `screen-map-${size.tag}`, { scale: 'css' });
      if (size !== SMALL) {
        await clickParcel(page, 'held');
        await clickParcel(page, 'inFlight');
        await page.evaluate(() => window.scrollTo(0, 0));
      }
    });

    // A pressed toggle stays readable under the pointer; so do the map's buttons.
    const intercept = page.getByRole('button', { name: /Intercept is ON/ });
    await intercept.hover();
    expect(await contrastOf(intercept), 'Intercept ON, hovered').toBeGreaterThanOrEqual(4.5);
    const paused = page.getByRole('button', { name: '❚❚ Pause' });
    await paused.hover();
    expect(await contrastOf(paused), 'the pressed speed button, hovered').toBeGreaterThanOrEqual(4.5);
    const normal = page.getByRole('button', { name: '2×' });
    await normal.hover();
    expect(await contrastOf(normal), 'a speed button, hovered').toBeGreaterThanOrEqual(4.5);
    await intercept.focus();
    expect(await contrastOf(intercept), 'Intercept ON, focused').toBeGreaterThanOrEqual(4.5);

    await leave(page);
    expect(player.errors).toEqual([]);
    await player.context.close();
  });

  it('the practice lobby with its briefing above the fold, the client’s round, the outcome brought into view, and the debrief', async () => {
    const player = await openPlayer(env.browser, env.server.url, LAPTOP);
    const page = await practise(player, /Client/, 4);

    // At 1366×768 every level's briefing starts in view and its Start button is on screen without
    // scrolling; a briefing of at most 80 words (GAME.md: short) is whole above the fold.
    for (const level of LEVELS) {
      // Level id 6 is "4e" (TLS 1.2 with ECDHE), offered between 4 and 5; id 7 is level 6, the chain of trust.
      await page.locator('#lobby-level').selectOption(String(level));
      await page.getByRole('heading', { name: new RegExp(`Briefing — Level ${LEVEL_INFO[level].label} `) }).waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      const start = await boxOf(page.getByRole('button', { name: 'Start the round' }));
      expect(start.y, `level ${level}: Start button below the fold`).toBeGreaterThanOrEqual(0);
      expect(start.y + start.height, `level ${level}: Start button below the fold`).toBeLessThanOrEqual(LAPTOP.height);
      const briefing = page.locator('.briefing');
      const firstLines = await boxOf(briefing.locator('p').first());
      expect(firstLines.y + Math.min(firstLines.height, 60), `level ${level}: the briefing starts in view`).toBeLessThanOrEqual(LAPTOP.height);
      const { summary, firstSteps } = LEVEL_INFO[level].briefing;
      const words = [summary, ...Object.values(firstSteps)].join(' ').split(/\s+/).length;
      expect(words, `level ${level}: the briefing is short`).toBeLessThanOrEqual(80);
      const box = await boxOf(briefing);
      expect(box.y + box.height, `level ${level} (${words} words): the whole briefing above the fold`).toBeLessThanOrEqual(LAPTOP.height);
    }
    await page.locator('#lobby-level').selectOption('4');
    await page.getByRole('heading', { name: /Briefing — Level 4/ }).waitFor();
    await page.locator('select[data-bot="attacker"]').selectOption('fakeCertificate');
    await expect.poll(() => page.locator('select[data-bot="attacker"]').inputValue()).toBe('fakeCertificate');
    await shoot(page, 'practice-lobby');

    await page.getByRole('button', { name: 'Start the round' }).click();
    await page.getByRole('button', { name: 'I am ready' }).click();
    await page.getByRole('button', { name: 'Connect to bank.example' }).click();
    // Her browser has HSTS for the bank (a careful, returning visitor): no way through a certificate error, only back (RFC 6797 §12.1).
    await page.getByRole('heading', { name: '⚠ No way through: go back' }).waitFor({ timeout: 30_000 });
    await pauseNetwork(page);
    await shoot(page, 'play-client');

    // On the phone her panel comes first, the decision in it, above the map.
    await page.setViewportSize(PHONE);
    await settle(page);
    await page.getByRole('button', { name: '4×', exact: true }).click();
    const abort = page.getByRole('button', { name: 'Go back', exact: true });
    expect(await abort.evaluate((el) => el.getBoundingClientRect().top + scrollY), 'the decision on the first screen').toBeLessThan(PHONE.height);
    // She reads on down to the timeline and aborts from there (without scrolling back): the outcome comes to her.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await page.evaluate(() => window.scrollY), 'scrolled far down').toBeGreaterThan(PHONE.height);
    await abort.evaluate((el: HTMLButtonElement) => el.click());
    expect(await outcomeOf(page)).toBe('attackDetected');
    // The outcome line itself is on screen, in the upper half.
    const outcomeBox = () => page.locator('.scoreboard .outcome').evaluate((el) => { const r = el.getBoundingClientRect(); return { top: Math.round(r.top), bottom: Math.round(r.bottom) }; });
    await expect.poll(async () => (await outcomeBox()).top, { message: 'the outcome scrolled into view' }).toBeGreaterThanOrEqual(0);
    await expect.poll(async () => (await outcomeBox()).bottom < PHONE.height / 2).toBe(true);
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.results')), { message: 'focus moved to the result' }).toBe(true);

    // The debrief's tables fit the phone: nothing sticks out of its panel.
    const outside = await page.locator('.results table').evaluateAll((tables) =>
      tables.filter((t) => t.getBoundingClientRect().right > t.closest('.panel')!.getBoundingClientRect().right + 0.5).map((t) => t.className || t.querySelector('caption')?.textContent),
    );
    expect(outside, 'tables wider than their panel at 390 px').toEqual([]);
    await expect(page.locator('.debrief').innerText()).resolves.toMatch(/Caught it/);
    await shoot(page, 'debrief');

    // Inner scroll boxes say there is more, and scroll by keyboard.
    const boxes = await page.locator('[data-scroll]').evaluateAll((els) =>
      els.map((el) => ({ name: el.getAttribute('aria-label') ?? '', focusable: el.tabIndex >= 0, scrolls: el.scrollHeight > el.clientHeight + 1, shadows: getComputedStyle(el).backgroundAttachment })),
    );
    const scrolling = boxes.filter((b) => b.scrolls);
    expect(scrolling.length, JSON.stringify(boxes)).toBeGreaterThan(0);
    for (const b of scrolling) {
      expect(b.focusable, `${b.name}: focusable`).toBe(true);
      expect(b.name, 'a scroll box has a name').not.toBe('');
      expect(b.shadows, `${b.name}: scroll shadows`).toMatch(/local.*scroll|scroll.*local/);
    }
    const list = page.locator('[data-scroll="timeline"]');
    await list.focus();
    await page.keyboard.press('Home');
    const top = await list.evaluate((el) => el.scrollTop);
    await page.keyboard.press('PageDown');
    await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(top);
    expect(player.errors).toEqual([]);
    await player.context.close();
  });

  it('the bank’s round', async () => {
    const bank = await openPlayer(env.browser, env.server.url, LAPTOP);
    await practise(bank, /Server/, 4);
    await bank.page.getByRole('button', { name: 'Start the round' }).click();
    await bank.page.getByRole('radio', { name: 'bank.example', exact: true }).check();
    await bank.page.getByRole('radio', { name: /RSA-2048 key/ }).check();
    await bank.page.getByRole('button', { name: /Ask the CA for a certificate/ }).click();
    await bank.page.getByText('The CA signed your certificate.').waitFor({ timeout: 30_000 });
    await bank.page.getByRole('button', { name: 'I am ready' }).click();
    // The bank answers Alice with two packets at once: on the map they queue one behind the other, both in sight.
    await bank.page.getByRole('button', { name: '½×' }).click();
    const flying = () => bank.page.evaluate(() => window.__heistNetwork!().parcels.filter((p) => p.status === 'inFlight'));
    await expect.poll(async () => (await flying()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await pauseNetwork(bank.page);
    const [first, second] = await flying();
    if (!first || !second) throw new Error('two parcels were in flight a moment ago');
    expect(Math.hypot(first.x - second.x, first.y - second.y), 'two parcels sent together, apart on the wire').toBeGreaterThanOrEqual(30);
    const labels = (await bank.page.evaluate(() => window.__heistNetwork!().texts)).filter((t) => t.kind === 'wire');
    expect(labels.length).toBeGreaterThanOrEqual(2);
    for (const [i, a] of labels.entries())
      for (const b of labels.slice(i + 1))
        expect(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom, `labels “${a.text}” and “${b.text}” overlap`).toBe(false);
    await shoot(bank.page, 'play-server');
    await leave(bank.page);
    expect(bank.errors).toEqual([]);
    await bank.context.close();
  });

  it('the CA’s round', async () => {
    const ca = await openPlayer(env.browser, env.server.url, LAPTOP);
    await practise(ca, /Certificate authority/, 4);
    await ca.page.getByRole('button', { name: 'Start the round' }).click();
    await ca.page.getByRole('button', { name: /Sign request \d+/ }).first().waitFor({ timeout: 30_000 });
    await pauseNetwork(ca.page);
    await shoot(ca.page, 'play-ca');
    await leave(ca.page);
    expect(ca.errors).toEqual([]);
    await ca.context.close();
  });

  it('a watcher of the bots, on a screen of twice the pixel density', async () => {
    const watcher = await openPlayer(env.browser, env.server.url, LAPTOP, { deviceScaleFactor: 2 });
    await setNickname(watcher.page, 'Watcher');
    await watcher.page.getByRole('button', { name: 'Watch bots play' }).click();
    await watcher.page.getByRole('heading', { name: 'Demo: you see everything, secrets included' }).waitFor();
    await expect.poll(() => watcher.page.locator('.timeline-list li.event').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    // The canvas has two pixels per CSS pixel, and the map's text is still 12 CSS px or more.
    await shoot(watcher.page, 'watcher', SIZES, async (size) => void (await checkMap(watcher.page, size)));
    expect(watcher.errors).toEqual([]);
    await watcher.context.close();
  });

  it('a class: the students’ waiting screen, the teacher’s dashboard, the projector and a room shown live on it', async () => {
    const teacher = await openPlayer(env.browser, env.server.url, LAPTOP);
    await teacher.page.getByRole('button', { name: 'Create a class' }).click();
    const code = (await teacher.page.locator('#class-code').textContent())!.trim();
    const students: Player[] = [];
    for (const nickname of ['Ada', 'Grace']) {
      const student = await openPlayer(env.browser, `${env.server.url}/?class=${code}`, LAPTOP);
      await setNickname(student.page, nickname);
      await student.page.getByRole('button', { name: 'Join a class' }).click();
      await student.page.getByRole('heading', { name: `Class ${code}` }).waitFor();
      students.push(student);
    }
    await teacher.page.getByRole('heading', { name: 'Students (2)' }).waitFor();
    await teacher.page.getByLabel('Teams').fill('2');
    await teacher.page.getByRole('button', { name: 'Form balanced teams' }).click();
    for (const s of students) await s.page.locator('#my-team').waitFor();
    await shoot(nth(students, 0, 'student').page, 'class-waiting');

    await teacher.page.getByRole('button', { name: 'Start match' }).click();
    for (const s of students) await s.page.locator('#role-title').waitFor({ timeout: 30_000 });
    await teacher.page.locator('table.rooms tbody tr').first().waitFor();
    await teacher.page.getByRole('button', { name: /^Show live: room / }).first().waitFor();
    // At 1366×768 every table of the dashboard fits its card: no column cut off, no sideways scroll.
    const tablesFit = async () =>
      teacher.page.locator('main table').evaluateAll((tables) =>
        tables.flatMap((t) => {
          const card = t.closest('.panel')!.getBoundingClientRect();
          const wrap = t.parentElement!;
          return [...t.querySelectorAll('th, td')]
            .filter((cell) => cell.getBoundingClientRect().right > card.right + 0.5 || wrap.scrollWidth > wrap.clientWidth + 1)
            .map((cell) => `${t.className}: ${cell.textContent}`);
        }),
      );
    await shoot(teacher.page, 'teacher-dashboard', SIZES, async (size) => {
      if (size === LAPTOP) expect(await tablesFit(), 'dashboard cells cut off at 1366×768').toEqual([]);
    });

    await teacher.page.getByRole('button', { name: 'Projector view' }).click();
    await teacher.page.getByRole('img', { name: `QR code to join class ${code}` }).waitFor();
    await shoot(teacher.page, 'projector', SIZES, async (size) => {
      if (size !== LAPTOP) return;
      expect(await tablesFit(), 'projector cells cut off at 1366×768').toEqual([]);
      // From the back of the room: the leaderboard in large type, the rooms no smaller than the page's.
      const px = (selector: string) => teacher.page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(await px('.projector .leaderboard li'), 'leaderboard type on the projector').toBeGreaterThanOrEqual(24);
      expect(await px('.projector table.rooms td'), 'live rooms type on the projector').toBeGreaterThanOrEqual(18);
    });
    await teacher.page.getByRole('button', { name: /^Show live: room / }).first().click();
    await teacher.page.getByRole('heading', { name: /Watching/ }).waitFor();
    await expect.poll(() => teacher.page.evaluate(() => document.documentElement.classList.contains('projector-mode'))).toBe(true);
    await shoot(teacher.page, 'projector-live', SIZES, async (size) => {
      // The projector's large type at every size (whichever layout its box allows), in a row on the laptop.
      const probe = await checkMap(teacher.page, size, 'any');
      if (size === LAPTOP) {
        expect(probe.orientation, 'the map in a row on the projector').toBe('landscape');
        // Type the back row can read: the map's text grows with the page's.
        for (const t of probe.texts) expect(t.fontPx, `“${t.text}” on the projector`).toBeGreaterThanOrEqual(18);
      }
    });
    for (const p of [teacher, ...students]) expect(p.errors, 'browser console errors').toEqual([]);
    for (const p of [teacher, ...students]) await p.context.close();
  });
});
