/**
 * The documented commands' copy shares the project's install only when `npm ci` would make the
 * same one (support/installed.ts): a package.json out of step with the lock, a package installed
 * by hand or missing, and the copy must run `npm ci` itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { whyNotReusable } from './support/installed.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const lodash = { version: '4.17.21', resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz', integrity: 'sha512-x' };
const fsevents = { version: '2.3.3', resolved: 'https://registry.npmjs.org/fsevents/-/fsevents-2.3.3.tgz', integrity: 'sha512-y', optional: true };

/** A project with one workspace, `app`, depending on lodash; fsevents optional (another platform's). */
function project(installed: Record<string, object>, appDependencies: Record<string, string> = { lodash: '^4.17.21' }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-installed-'));
  dirs.push(root);
  const write = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), JSON.stringify(value));
  };
  write('package.json', { name: 'p', workspaces: ['app'] });
  write('app/package.json', { name: 'app', dependencies: appDependencies });
  const packages = {
    '': { name: 'p', workspaces: ['app'] },
    app: { name: 'app', dependencies: { lodash: '^4.17.21' } },
    'node_modules/app': { resolved: 'app', link: true },
    'node_modules/lodash': lodash,
    'node_modules/fsevents': fsevents,
  };
  write('package-lock.json', { lockfileVersion: 3, packages });
  write('node_modules/.package-lock.json', { lockfileVersion: 3, packages: installed });
  return root;
}

const asNpmCiInstalls = { app: { name: 'app', dependencies: { lodash: '^4.17.21' } }, 'node_modules/app': { resolved: 'app', link: true }, 'node_modules/lodash': lodash };

describe('sharing the install with the documented commands’ copy', () => {
  it('is allowed when node_modules is what `npm ci` installs (an optional package of another platform absent)', () => {
    expect(whyNotReusable(project(asNpmCiInstalls))).toBeUndefined();
  });

  it('is refused when a package.json no longer matches the lock (`npm ci` would refuse it)', () => {
    expect(whyNotReusable(project(asNpmCiInstalls, { lodash: '^4.17.21', left: '1.0.0' }))).toBe("app package.json's dependencies differ from package-lock.json");
  });

  it('is refused when a locked package is missing, another version is installed, or one was installed by hand', () => {
    const { 'node_modules/lodash': _, ...withoutLodash } = asNpmCiInstalls;
    expect(whyNotReusable(project(withoutLodash))).toBe('node_modules/lodash is locked but not installed');
    expect(whyNotReusable(project({ ...asNpmCiInstalls, 'node_modules/lodash': { ...lodash, version: '4.17.20' } }))).toBe('node_modules/lodash is installed at another version than the locked one');
    expect(whyNotReusable(project({ ...asNpmCiInstalls, 'node_modules/left-pad': { version: '1.3.0' } }))).toBe('node_modules/left-pad is installed but not locked');
  });

  it('is refused without a record of the install', () => {
    const root = project(asNpmCiInstalls);
    fs.rmSync(path.join(root, 'node_modules/.package-lock.json'));
    expect(whyNotReusable(root)).toBe('no install recorded in node_modules/.package-lock.json');
  });

  it('is allowed for this project as installed now (else `npm test` pays for a second `npm ci`)', () => {
    expect(whyNotReusable(path.resolve(import.meta.dirname, '../..'))).toBeUndefined();
  });
});
