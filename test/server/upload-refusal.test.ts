/**
 * A refused upload must arrive as a 413 response, not as a connection reset: a client that
 * sends its whole body without waiting (curl without Expect: 100-continue, a script) must read
 * why it was refused. Closing the socket while the body is still arriving resets the
 * connection, and the reset loses the answer on its way; the door reads and drops the rest for
 * a few seconds instead, then closes. Sent with curl (the machine's), as a user would.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type TestServer } from './helpers.ts';

const curl = ['/usr/bin/curl', '/bin/curl'].find((p) => fs.existsSync(p));
let t: TestServer;
let bigFile: string;
beforeAll(async () => {
  t = await bootServer();
  bigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'heist-upload-')), 'big.json');
  fs.writeFileSync(bigFile, Buffer.alloc(64 * 2 ** 20, 0x20));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(path.dirname(bigFile), { recursive: true, force: true });
});

/** curl's status line for a 64 MB POST sent at once; `000 …` and curl's error when the connection was reset. */
function upload(urlPath: string, chunked: boolean): Promise<string> {
  const args = ['-sS', '-o', '-', '-w', ' %{http_code}', '-X', 'POST', '-H', 'Expect:', '-H', 'Content-Type: application/json', ...(chunked ? ['-H', 'Transfer-Encoding: chunked'] : []), '--data-binary', `@${bigFile}`, `http://127.0.0.1:${t.server.port}${urlPath}`];
  return new Promise((resolve) => execFile(curl!, args, { maxBuffer: 1 << 20 }, (_e, stdout, stderr) => resolve(`${stdout.trim()}${stderr ? ` | ${stderr.trim()}` : ''}`)));
}

describe.skipIf(!curl)('a refused upload (curl; skipped: no curl on this machine)', () => {
  it('arrives as 413, every time, on the matchmaker’s paths', { timeout: 120_000 }, async () => {
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) answers.push(await upload(i % 2 ? '/matchmake/create/game' : '/matchmake/joinById/ZZZZZ', i % 4 >= 2));
    expect(answers).toEqual(Array(8).fill('{"code":413,"error":"That request is too large."} 413'));
  });
});
