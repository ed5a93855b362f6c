/**
 * Level knowledge lives in the level modules (shared/src/levels): everything else — the engine,
 * the server, the client, the TLS tools and the tests — asks a level's module (its key exchange,
 * its TLS version and suite, its PKI, its checks) and never compares a level number. The tables
 * keyed by level (what a new level must fill in) stand only in the files docs/adding-a-level.md
 * names, so that page stays the whole list of what a new level touches.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const COMPARISON = /level *(===|!==|==|!=|>=|<=|>|<) *['"]?[0-9]/;
/**
 * Not level knowledge: a server test waiting for the room's state to echo the level it just
 * configured, or picking the scenario of the level it configures.
 */
const ECHOES = [/\.state\.level === \d+\)/, /SCENARIOS\.find\(\(s\) => s\.level === \d+\)/];
/** A table with one entry per level (or per TLS level, or per level a test plays). */
const PER_LEVEL_TABLE = /Record<(Level|TlsLevel|Played)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

const FILES = ['shared/src', 'server/src', 'client/src', 'tools', 'test'].flatMap((dir) => sources(join(root, dir))).map((f) => relative(root, f));
const THIS_FILE = relative(root, fileURLToPath(import.meta.url));

function lines(pattern: RegExp): { where: string; line: string }[] {
  return FILES.filter((f) => !f.startsWith('shared/src/levels/') && f !== THIS_FILE).flatMap((file) =>
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [{ where: `${file}:${i + 1}`, line: line.trim() }] : [])),
  );
}

describe('level knowledge lives in the level modules', () => {
  it('no level number is compared outside them: not in shared/, server/, client/, tools/ or test/', () => {
    const found = lines(COMPARISON).filter((c) => !ECHOES.some((e) => e.test(c.line)));
    expect(found).toEqual([]);
  });

  it('the scan sees every folder it names (a moved folder would pass it empty)', () => {
    for (const dir of ['shared/src/', 'server/src/', 'client/src/', 'tools/', 'test/']) expect(FILES.some((f) => f.startsWith(dir)), dir).toBe(true);
  });

  it('every table keyed by level stands in a file docs/adding-a-level.md names', () => {
    const doc = readFileSync(join(root, 'docs/adding-a-level.md'), 'utf8');
    const named = new Set([...doc.matchAll(/`([\w./-]+\.ts)`/g)].map((m) => m[1]!));
    const tables = [...new Set(FILES.filter((f) => f !== THIS_FILE && PER_LEVEL_TABLE.test(readFileSync(join(root, f), 'utf8'))))];
    expect(tables.filter((f) => ![...named].some((n) => f === n || f.endsWith(`/${n}`)))).toEqual([]);
  });
});
