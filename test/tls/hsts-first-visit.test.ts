/**
 * The first-visit event's header in real bytes (RFC 6797 §6.1, §7.1, §7.2): Wireshark's own
 * dissector (tshark) reads the teacher's capture, decrypted by its key log, and finds the bank's
 * Strict-Transport-Security line in its HTTPS answers — never in a plain http:// answer: the
 * bank's port-80 redirect has none, and in a stripped round the plain answers Mallory passes on
 * have it removed, while her own HTTPS session with the bank carries it. Then a real client that
 * keeps HSTS, curl, against `npm run tls -- serve --hsts`: it notes the bank for max-age with its
 * subdomains, and with that note turns an http:// address under it into https:// before sending.
 * The returning-visit event too: a plain request first only where the bank's max-age ran out.
 * And the subdomain event's bank certificate, read by `openssl x509`: both names in its
 * subjectAltName, and `openssl verify -verify_hostname login.bank.example` accepts it.
 * Skipped, saying so, where tshark, curl or openssl is not installed (Debian: tshark, curl, openssl).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { teacherCapture } from '../../shared/src/capture/round-capture.ts';
import type { Round } from '../../shared/src/play/round.ts';
import { serve } from '../../tools/tls/cli.ts';
import { rootPem } from '../../shared/src/capture/key-files.ts';
import { certificatePem } from '../../shared/src/pki/certificate.ts';
import { LOGIN_NAME } from '../../shared/src/round/world.ts';
import { hasOpenssl } from './openssl-chains.ts';
import { opensslRun } from './openssl.ts';
import { NOW } from './support.ts';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the HSTS header test (apt-get install tshark)');

const hasCurlHsts = /\bHSTS\b/.test(spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout ?? '');
if (!hasCurlHsts) console.warn('curl with HSTS is not installed: skipping the curl HSTS test (apt-get install curl)');

const dir = mkdtempSync(path.join(os.tmpdir(), 'heist-hsts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STS = 'Strict-Transport-Security: max-age=31536000; includeSubDomains; preload\\r\\n';

/** Each HTTP answer in the teacher's capture: whether it came inside TLS, its status, and its Strict-Transport-Security line if any. */
function answers(round: Round, name: string): string[] {
  const file = path.join(dir, `${name}.pcapng`);
  writeFileSync(file, teacherCapture(round));
  const result = spawnSync('tshark', ['-r', file, '-Y', 'http.response', '-T', 'fields', '-E', 'occurrence=l', '-e', 'tls.record.content_type', '-e', 'http.response.code', '-e', 'http.response.line'], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [tls, code, lines] = l.split('\t');
      const sts = (lines ?? '').split(',').find((h) => h.startsWith('Strict-Transport-Security'));
      return `${tls ? 'https' : 'http'} ${code}${sts ? ` ${sts}` : ''}`;
    });
}

describe.skipIf(!hasTshark)('the bank’s Strict-Transport-Security header, as Wireshark reads it', () => {
  it('a careless Alice’s first visit, unattacked: the plain redirect has no header; the HTTPS answer carries it', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'none' }, 'tshark-hsts-first', { event: 'hstsFirstVisit' });
    expect(round.result?.outcome).toBe('secure');
    expect(answers(round, 'first')).toEqual(['http 301', `https 200 ${STS}`]);
  });

  it('stripped: Mallory’s HTTPS session with the bank gets the header; the plain answers she passes Alice have none', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'strip' }, 'tshark-hsts-strip', { event: 'hstsFirstVisit' });
    expect(round.result?.outcome).toBe('eavesdropped');
    // The login page, then the transfer: each from the bank to Mallory over HTTPS, then from her to Alice in the clear.
    expect(answers(round, 'strip')).toEqual([`https 200 ${STS}`, 'http 200', `https 200 ${STS}`, 'http 200']);
  });

  it('a returning visit, unattacked: the careless bank’s month ran out (a plain request first), the standard bank’s year holds (none); each HTTPS answer carries the bank’s own header again', () => {
    const month = simulateRound(4, { client: 'careful', server: 'careless', ca: 'strict', attacker: 'none' }, 'tshark-hsts-month', { event: 'hstsReturningVisit' }).round;
    expect(answers(month, 'month')).toEqual(['http 301', 'https 200 Strict-Transport-Security: max-age=2592000; includeSubDomains\\r\\n']);
    const year = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, 'tshark-hsts-year', { event: 'hstsReturningVisit' }).round;
    expect(answers(year, 'year')).toEqual(['https 200 Strict-Transport-Security: max-age=31536000; includeSubDomains\\r\\n']);
  });
});

describe.skipIf(!hasOpenssl())('the subdomain event’s bank certificate, read by OpenSSL (skipped when the openssl command is missing)', () => {
  it(`names bank.example and ${LOGIN_NAME} in its subjectAltName, and verifies for the login page`, () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'careless', ca: 'strict', attacker: 'none' }, 'openssl-hsts-subdomain', { event: 'hstsSubdomain', gameClock: NOW });
    expect(round.result?.outcome).toBe('secure');
    const cert = path.join(dir, 'subdomain-bank.pem');
    const root = path.join(dir, 'subdomain-root.pem');
    writeFileSync(cert, certificatePem(round.server.config.certificate!));
    writeFileSync(root, rootPem(round));
    expect(opensslRun(['x509', '-in', cert, '-noout', '-subject', '-ext', 'subjectAltName'])).toEqual({ ok: true, output: `subject=CN = bank.example\nX509v3 Subject Alternative Name: \n    DNS:bank.example, DNS:${LOGIN_NAME}\n` });
    expect(opensslRun(['verify', '-x509_strict', '-CAfile', root, '-verify_hostname', LOGIN_NAME, cert])).toEqual({ ok: true, output: `${cert}: OK\n` });
  });
});

describe.skipIf(!hasCurlHsts)('curl keeps the header of npm run tls -- serve --hsts', () => {
  it('notes bank.example and its subdomains for a year (max-age, includeSubDomains), then asks http://login.bank.example over https:// only', async () => {
    const files = path.join(dir, 'serve-hsts');
    const server = await serve(['--level', '5', '--port', '0', '--dir', files, '--hsts'], { out: () => undefined, err: () => undefined });
    try {
      const cache = path.join(dir, 'curl-hsts.txt');
      // Asynchronously: the bank answers from this same process.
      const curl = (...args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile('curl', ['-sS', '--max-time', '20', '--hsts', cache, '--cacert', path.join(files, 'root.pem'), ...args], { encoding: 'utf8' }, (error, stdout, stderr) =>
            resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
          );
        });
      const first = await curl('-D', '-', '--resolve', `bank.example:${server.port}:127.0.0.1`, `https://bank.example:${server.port}/`);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain('Strict-Transport-Security: max-age=31536000; includeSubDomains; preload\r\n');
      // curl's HSTS cache: a leading dot for includeSubDomains, and when it expires (now + max-age, UTC).
      const entry = /^\.bank\.example "(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})"$/m.exec(readFileSync(cache, 'utf8'));
      expect(entry, readFileSync(cache, 'utf8')).not.toBeNull();
      const expires = Date.UTC(+entry![1]!, +entry![2]! - 1, +entry![3]!, +entry![4]!, +entry![5]!, +entry![6]!);
      expect(Math.abs(expires - (Date.now() + 31_536_000_000))).toBeLessThan(120_000);
      // A subdomain asked over http://: curl switches to https:// before sending anything (the bank, which serves bank.example alone, answers the ClientHello's server_name with a TLS alert — proof the request went over TLS, not plain HTTP).
      const sub = await curl('-o', '/dev/null', '-w', '%{url_effective}', '--resolve', `login.bank.example:${server.port}:127.0.0.1`, `http://login.bank.example:${server.port}/`);
      expect(sub.stdout).toBe(`https://login.bank.example:${server.port}/`);
      expect(sub.stderr).toMatch(/^curl: \(35\) .*tlsv1 unrecognized name/);
    } finally {
      await server.close();
    }
  });
});
