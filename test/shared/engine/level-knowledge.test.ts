/**
 * Level knowledge lives in the level modules (shared/src/levels): the client renders views and
 * never compares a level number; the engine and the server compare one at most a handful of
 * times, each with a comment saying why.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const COMPARISON = /level *(===|!==|>=|<=|>|<) *[0-9]/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

function comparisons(dir: string): { where: string; line: string }[] {
  return sources(join(root, dir)).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (COMPARISON.test(line) ? [{ where: `${relative(root, file)}:${i + 1}`, line: line.trim() }] : [])),
  );
}

describe('level knowledge lives in the level modules', () => {
  it('the client compares no level number', () => {
    expect(comparisons('client/src')).toEqual([]);
  });

  it('the engine outside the level modules and the server: at most a handful, each explained', () => {
    const found = [...comparisons('shared/src'), ...comparisons('server/src')].filter((c) => !c.where.startsWith('shared/src/levels/'));
    expect(found.length).toBeLessThanOrEqual(5);
    for (const c of found) expect(c.line, c.where).toMatch(/\/\/|\/\*/);
  });
});
