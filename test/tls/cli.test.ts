/**
 * `npm run tls -- serve|connect`, as a teacher runs them: the bank writes its files and serves
 * OpenSSL (node:tls) a page; the browser prints every check and the page, or names the failed
 * check and the alert and exits 1; a usage mistake exits 2 with the usage text.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io, type Serving } from '../../tools/tls/cli.ts';
import { bankFor, LEVEL_CASES, nodeClient, serveNode } from './support.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-tls-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function io(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

/** What the serve line names, by level label: the words an operator reads. */
const SUITE_WORDS: Record<string, string> = {
  '4': 'TLS 1.2, TLS_RSA_WITH_AES_128_GCM_SHA256',
  '4e': 'TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 with P-256',
  '5': 'TLS 1.3, TLS_AES_128_GCM_SHA256 with X25519 or P-256',
  '6': 'TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 with P-256',
};

describe('npm run tls -- serve', () => {
  it.each(LEVEL_CASES)('level $label: writes root.pem, bank.pem and keylog.txt, and serves node:tls the page', async ({ level, label }) => {
    const dir = tempDir();
    const out = io();
    const serving = (await main(['serve', '--level', label, '--port', '0', '--host', '127.0.0.1', '--dir', dir], out)) as Serving;
    try {
      expect(out.lines[0]).toBe(`serving https://bank.example:${serving.port}/ (level ${label}: ${SUITE_WORDS[label]})`);
      const root = fs.readFileSync(path.join(dir, 'root.pem'), 'utf8');
      expect(fs.readFileSync(path.join(dir, 'bank.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      const result = await nodeClient(level, serving.port, root);
      expect(result.error).toBeUndefined();
      expect(result.response).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Heist Bank: bank\.example/);
      const logged = fs.readFileSync(path.join(dir, 'keylog.txt'), 'utf8').trim().split('\n').sort();
      expect(logged).toEqual(result.keyLog.filter((l) => !l.startsWith('RSA ')).sort());
    } finally {
      await serving.close();
    }
  });

  it.skipIf(!hasOpenssl())('openssl verify -CAfile root.pem accepts bank.pem (skipped when openssl is not installed)', async () => {
    const dir = tempDir();
    const serving = (await main(['serve', '--level', '4', '--port', '0', '--host', '127.0.0.1', '--dir', dir], io())) as Serving;
    await serving.close();
    const verdict = execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'root.pem'), path.join(dir, 'bank.pem')], { encoding: 'utf8' });
    expect(verdict.trim()).toBe(`${path.join(dir, 'bank.pem')}: OK`);
  });
});

describe('npm run tls -- connect', () => {
  it('names the failed check and the alert it sent, and exits 1', async () => {
    const bank = bankFor(4, 'cli wrong name', { names: ['other.example'] });
    const server = await serveNode(4, bank);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'root.pem'), bank.rootPem);
    const out = io();
    try {
      const code = await main(['connect', '--level', '4', '--host', '127.0.0.1', '--port', String(server.port), '--name', 'bank.example', '--ca', path.join(dir, 'root.pem')], out);
      expect(code).toBe(1);
      expect(out.lines).toContain('FAIL  Name matches the site you asked for: name mismatch: certificate is for other.example, you asked for bank.example');
      expect(out.errors).toEqual(['failed: certificate rejected: name mismatch: certificate is for other.example, you asked for bank.example (sent alert bad_certificate)']);
    } finally {
      await server.close();
    }
  });

  it('--level 4e: every check passes, the signed key share among them, and the page from a node:tls bank; exit 0', async () => {
    const bank = bankFor(6, 'cli 4e');
    const server = await serveNode(6, bank);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'root.pem'), bank.rootPem);
    const keylog = path.join(dir, 'client-keylog.txt');
    const out = io();
    try {
      const code = await main(['connect', '--level', '4e', '--host', '127.0.0.1', '--port', String(server.port), '--name', 'bank.example', '--ca', path.join(dir, 'root.pem'), '--keylog', keylog], out);
      expect(out.errors).toEqual([]);
      expect(code).toBe(0);
      expect(out.lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
      expect(out.lines).toContainEqual(expect.stringMatching(/^pass {2}Server signed its one-time key share \(ServerKeyExchange\): /));
      expect(out.lines.at(-1)).toBe('\nHTTP 200\nHello from node:tls\n');
      const seen = await server.closed;
      expect(seen.suite).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
      expect(fs.readFileSync(keylog, 'utf8').trim().split('\n')).toEqual(seen.keyLog);
    } finally {
      await server.close();
    }
  });

  it('a usage mistake exits 2 with the usage text', async () => {
    const out = io();
    expect(await main(['connect', '--level', '3', '--host', 'x', '--port', '1', '--name', 'n', '--ca', 'c'], out)).toBe(2);
    expect(out.errors[0]).toMatch(/^--level must be one of 4, 4e, 5, 6, got 3\nusage:/);
    // 7 is level 6's id inside the game, not a name a teacher types.
    expect(await main(['serve', '--level', '7', '--port', '0', '--dir', tempDir()], out)).toBe(2);
    expect(out.errors[1]).toMatch(/^--level must be one of 4, 4e, 5, 6, got 7\nusage:\n {2}npm run tls -- serve {3}--level 4\|4e\|5\|6 /);
    expect(await main(['listen'], out)).toBe(2);
    expect(out.errors[2]).toMatch(/^unknown command listen\n/);
  });

  it('through npm run tls: the page from a node:tls bank, every check passed, exit 0, the key log written', async () => {
    const bank = bankFor(5, 'cli npm');
    const server = await serveNode(5, bank);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'root.pem'), bank.rootPem);
    const keylog = path.join(dir, 'client-keylog.txt');
    try {
      const args = ['run', '-s', 'tls', '--', 'connect', '--level', '5', '--host', '127.0.0.1', '--port', String(server.port), '--name', 'bank.example', '--ca', path.join(dir, 'root.pem'), '--keylog', keylog];
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = execFile('npm', args, { cwd: path.resolve(import.meta.dirname, '../..') }, (error, stdout) => resolve({ code: error ? (error.code as number) : 0, stdout }));
        void child;
      });
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/^FAIL/m);
      expect(stdout).toMatch(/^pass {2}Server proved it holds the key \(CertificateVerify\)/m);
      expect(stdout).toMatch(/\nHTTP 200\nHello from node:tls\n/);
      const seen = await server.closed;
      expect(fs.readFileSync(keylog, 'utf8').trim().split('\n').sort()).toEqual([...seen.keyLog].sort());
    } finally {
      await server.close();
    }
  });
});
