/**
 * shared/ is built in layers (the paragraph at the top of shared/src/index.ts): a folder imports
 * only from its own folder and the layers below it, and no files import each other in a circle.
 * The imports are read with TypeScript's own pre-processor, type imports included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../shared/src', import.meta.url));

/** Bottom first; the folders (or top-level files) of one layer do not import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['basics', 'codec'],
  ['crypto'],
  ['pki'],
  ['messages'],
  ['handshake'],
  ['attacker'],
  ['levels'],
  ['round'],
  ['referee', 'capture', 'bots'],
  ['play', 'protocol.ts'],
  ['index.ts'],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const files = sources(src).map((f) => relative(src, f));

/** Each file's imports of other files in shared/src, as paths relative to it. */
const imports = new Map(
  files.map((file) => {
    const found = ts.preProcessFile(readFileSync(join(src, file), 'utf8'), true, true).importedFiles;
    const local = found.filter((i) => i.fileName.startsWith('.')).map((i) => relative(src, resolve(dirname(join(src, file)), i.fileName)));
    return [file, local] as const;
  }),
);

const part = (file: string) => file.split('/')[0]!;
const layerOf = (file: string) => LAYERS.findIndex((layer) => layer.includes(part(file)));

/** The import circles among files, each as the path that closes it. */
function circles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      found.push([...path.slice(path.indexOf(file)), file]);
      return;
    }
    state.set(file, 'open');
    path.push(file);
    for (const next of imports.get(file) ?? []) visit(next);
    path.pop();
    state.set(file, 'done');
  };
  for (const file of files) visit(file);
  return found;
}

describe('shared/ is layered', () => {
  it('every folder and top-level file of shared/src has its layer', () => {
    expect(files.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('imports run down only: from a folder to itself or a lower layer', () => {
    const upward = files.flatMap((file) =>
      (imports.get(file) ?? []).filter((to) => part(to) !== part(file) && layerOf(to) >= layerOf(file)).map((to) => `${file} -> ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('no files import each other in a circle', () => {
    expect(circles()).toEqual([]);
  });
});
