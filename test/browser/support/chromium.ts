/**
 * Finds a Chromium for the browser tests, in this order: $CHROME_PATH, /usr/bin/chromium,
 * the @sparticuz/chromium package (which unpacks its bundled build into /tmp). Fails with a
 * message that says how to provide one.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Software WebGL (SwiftShader) so Phaser renders on machines without a GPU. */
export const CHROMIUM_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-sandbox',
];

export async function findChromium(): Promise<string> {
  const tried: string[] = [];
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return fromEnv;
    tried.push(`CHROME_PATH=${fromEnv} (no such file)`);
  }
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  tried.push('/usr/bin/chromium (not installed)');
  try {
    const mod = (await import('@sparticuz/chromium')) as { default: { executablePath(): Promise<string> } };
    const path = await mod.default.executablePath();
    if (path && fs.existsSync(path)) return path;
    tried.push(`@sparticuz/chromium gave ${path || 'no path'}`);
  } catch (err) {
    tried.push(`@sparticuz/chromium (${(err as Error).message})`);
  }
  throw new Error(
    [
      'No Chromium found for the browser tests. Tried:',
      ...tried.map((t) => `  - ${t}`),
      'Provide one: set CHROME_PATH=/path/to/chrome, or install Debian’s `chromium` package',
      '(apt-get install chromium), or run `npm install` so the @sparticuz/chromium dev dependency is present.',
    ].join('\n'),
  );
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS, headless: true });
}
