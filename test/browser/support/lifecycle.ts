/**
 * Each browser test file plays against a real game server in a real Chromium: the Chromium its
 * worker shares (support/chromium.ts), and by default the project's shared server
 * (support/shared.ts); with timing of its own, a server of its own.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { closeContexts, sharedChromium } from './chromium.ts';
import { startTestServer, type TestServer } from './server.ts';

/** The shared server as a file sees it: its address, and its output so far (read from its log). */
export interface ServerInUse {
  url: string;
  process: { port: number; readonly output: string[] };
}

export function useServerAndBrowser(...options: Parameters<typeof startTestServer>): { readonly server: ServerInUse; readonly browser: Browser } {
  let own: TestServer | undefined;
  let server: ServerInUse | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const shared = inject('sharedServer');
    const ownServer = options.length > 0 ? startTestServer(...options) : undefined;
    browser = await sharedChromium();
    own = await ownServer;
    server = own ?? {
      url: shared.url,
      process: {
        port: shared.port,
        get output() {
          return fs.readFileSync(shared.logFile, 'utf8').split(/(?<=\n)/);
        },
      },
    };
  });
  afterAll(async () => {
    if (browser) await closeContexts(browser);
    await own?.close();
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
  };
}
