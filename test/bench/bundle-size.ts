/**
 * Client bundle size: builds the client and prints the gzip size of the JavaScript the browser
 * downloads — what the landing page loads, what the first round adds (Phaser, fetched on
 * demand), the teacher's QR code chunk, and the total. Target: ≤ 450 KB gzip in all, of which
 * Phaser is about 357 KB.
 *
 *   npx tsx test/bench/bundle-size.ts            (prints a table; exits 1 over the target)
 *   npx tsx test/bench/bundle-size.ts --no-build (measure the existing client/dist)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TARGET_KB = 450;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'client/dist');

if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: path.join(root, 'client'), stdio: 'inherit' });
}

const kb = (bytes: number) => bytes / 1024;
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const entries = new Set([...html.matchAll(/<script[^>]+src="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]));
const preloads = new Set([...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]));

interface Chunk {
  file: string;
  raw: number;
  gzip: number;
  when: string;
}
const chunks: Chunk[] = fs
  .readdirSync(path.join(dist, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => {
    const bytes = fs.readFileSync(path.join(dist, 'assets', f));
    const rel = `assets/${f}`;
    const when = entries.has(rel) || preloads.has(rel) ? 'on load' : /startNetworkView/.test(f) ? 'first round (Phaser)' : /(^|\/)qr-/.test(f) ? 'teacher projector (QR)' : 'on demand';
    return { file: rel, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, when };
  })
  .sort((a, b) => b.gzip - a.gzip);

const total = chunks.reduce((s, c) => s + c.gzip, 0);
const onLoad = chunks.filter((c) => c.when === 'on load').reduce((s, c) => s + c.gzip, 0);
const player = chunks.filter((c) => c.when === 'on load' || c.when.startsWith('first round')).reduce((s, c) => s + c.gzip, 0);

console.log('chunk'.padEnd(44), 'raw KB'.padStart(9), 'gzip KB'.padStart(9), ' loaded');
for (const c of chunks) console.log(c.file.padEnd(44), kb(c.raw).toFixed(1).padStart(9), kb(c.gzip).toFixed(1).padStart(9), ` ${c.when}`);
console.log(`landing page: ${kb(onLoad).toFixed(1)} KB gzip`);
console.log(`a player's download (landing + network view): ${kb(player).toFixed(1)} KB gzip`);
console.log(`all JavaScript: ${kb(total).toFixed(1)} KB gzip (target ≤ ${TARGET_KB} KB)`);
if (kb(total) > TARGET_KB) {
  console.error(`over the target by ${(kb(total) - TARGET_KB).toFixed(1)} KB`);
  process.exitCode = 1;
}
