/**
 * Finds a Chromium for the browser tests, in this order: $CHROME_PATH, the headless shell of the
 * @sparticuz/chromium package (unpacked into the system's temporary folder on first use; a dev
 * dependency, so `npm ci` provides it), Debian's /usr/bin/chromium. Fails with a message that
 * says how to provide one.
 *
 * The headless shell first: it is the Chromium build Playwright itself runs headless by default
 * (the same Blink, V8 and Skia as a student's Chrome, without the desktop browser around them),
 * and on two cores it plays the same round for about a third less CPU than the full browser
 * run headless (docs/benchmarks.md, "The test suite").
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = [
  // WebGL in software (SwiftShader), so Phaser renders on machines without a GPU.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // The page composited on the CPU, as Chrome does on a laptop whose GPU it will not use; through
  // SwiftShader instead, compositing cost more than the game's own drawing (docs/benchmarks.md).
  '--disable-gpu-compositing',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-sandbox',
];

async function headlessShell(tried: string[]): Promise<string | undefined> {
  try {
    const mod = (await import('@sparticuz/chromium')) as { default: { executablePath(): Promise<string> } };
    const path = await mod.default.executablePath();
    if (path && fs.existsSync(path)) return path;
    tried.push(`@sparticuz/chromium gave ${path || 'no path'}`);
  } catch (err) {
    tried.push(`@sparticuz/chromium (${(err as Error).message})`);
  }
  return undefined;
}

export async function findChromium(): Promise<string> {
  const tried: string[] = [];
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return fromEnv;
    tried.push(`CHROME_PATH=${fromEnv} (no such file)`);
  }
  const shell = await headlessShell(tried);
  if (shell) return shell;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  tried.push('/usr/bin/chromium (not installed)');
  throw new Error(
    [
      'No Chromium found for the browser tests. Tried:',
      ...tried.map((t) => `  - ${t}`),
      'Provide one: set CHROME_PATH=/path/to/chrome, run `npm ci` so the @sparticuz/chromium dev',
      'dependency is present, or install Debian’s `chromium` package (apt-get install chromium).',
    ].join('\n'),
  );
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS, headless: true });
}

let shared: Promise<Browser> | undefined;

/**
 * One Chromium for every browser file this process runs (the browser project's files share one
 * worker: vitest.config.ts), launched by the first. Each file closes the contexts it opened.
 * Launched here rather than once in Vitest's main process and reached over Playwright's
 * websocket: every protocol message then crossed two processes (five files' Vitest CPU, both
 * processes: ~21 s that way, 15 s this way; docs/benchmarks.md).
 */
export function sharedChromium(): Promise<Browser> {
  shared ??= launchChromium();
  return shared;
}

/** What a file does when it is done with the shared Chromium: closes the contexts it opened (the Chromium goes on for the next file). */
export async function closeContexts(browser: Browser): Promise<void> {
  await Promise.all(browser.contexts().map((context) => context.close()));
}
