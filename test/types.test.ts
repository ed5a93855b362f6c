/**
 * The whole project type-checks (`npm run typecheck`: tsc over shared/, server/, client/, tools/
 * and test/). A test of its own rather than a step before `vitest run`, so the compiler's 20-odd
 * seconds on one core run beside the other tests instead of ahead of them all.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

it('type-checks with no error (tsc --noEmit)', async () => {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--pretty', 'false'], { cwd: root, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: stdout + stderr }),
    );
  });
  expect(output.trim(), 'the compiler’s errors').toBe('');
  expect(code).toBe(0);
}, 300_000);
