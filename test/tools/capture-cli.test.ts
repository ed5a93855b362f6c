/**
 * `npm run capture`: a teacher asks for a round by level, attack and seed and gets the files
 * named in the README, the same bytes for the same seed; a wrong argument says what is allowed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { captureFiles, parseOptions, UsageError } from '../../tools/capture.ts';
import { keyLogLines, readPcapng } from '../../shared/src/capture/pcapng.ts';
import { fromPem } from '../../shared/src/pki/keys.ts';
import { decodeCertificate } from '../../shared/src/pki/certificate.ts';
import { toHex } from '../../shared/src/codec/bytes.ts';
import { DEFAULT_CONFIG } from '../../shared/src/round/state.ts';

const hasOpenssl = () => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
};

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('npm run capture', () => {
  it('writes the capture with its key log, the attacker’s capture without, the key log, the certificates and the leaked key', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'heist-capture-'));
    dirs.push(out);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tools/capture.ts', '--level', '4', '--attack', 'passive', '--seed', 'cli', '--out', out]);
    expect(stdout).toMatch(/^Level 4, attacker passive, seed "cli": Secure:/);
    expect(readdirSync(out).sort()).toEqual(['attacker.pcapng', 'bank-rsa-key.pem', 'bank.pem', 'keylog.txt', 'root.pem', 'round.pcapng']);
    const keyLog = readFileSync(path.join(out, 'keylog.txt'), 'utf8');
    // The browser's lines, as OpenSSL's client writes them: the pre-master by its encryption, then the master secret.
    expect(keyLog).toMatch(/^RSA [0-9a-f]{16} [0-9a-f]{96}\nCLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);
    expect(keyLogLines(readPcapng(readFileSync(path.join(out, 'round.pcapng'))))).toEqual(keyLog.trim().split('\n'));
    expect(readPcapng(readFileSync(path.join(out, 'attacker.pcapng'))).secrets).toEqual([]);
    const bank = decodeCertificate(fromPem(readFileSync(path.join(out, 'bank.pem'), 'utf8'), 'CERTIFICATE'));
    const root = decodeCertificate(fromPem(readFileSync(path.join(out, 'root.pem'), 'utf8'), 'CERTIFICATE'));
    expect([bank.subject, bank.issuer, root.subject, root.ca]).toEqual(['bank.example', 'Heist Root CA', 'Heist Root CA', true]);
    expect(readFileSync(path.join(out, 'bank-rsa-key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('replays a seed byte for byte, and another seed is another round', () => {
    const options = parseOptions(['--level', '5', '--attack', 'passive', '--seed', 'again', '--out', 'x']);
    const a = captureFiles(options).files;
    const b = captureFiles(options).files;
    const c = captureFiles({ ...options, seed: 'other' }).files;
    const hex = (v: Uint8Array | string | undefined) => (typeof v === 'string' ? v : toHex(v!));
    for (const name of a.keys()) expect(hex(b.get(name))).toBe(hex(a.get(name)));
    expect(hex(c.get('round.pcapng'))).not.toBe(hex(a.get('round.pcapng')));
  });

  it('takes level 4e by its label: an ECDHE session, the leaked key is the bank’s P-256 key', () => {
    const options = parseOptions(['--level', '4e', '--attack', 'passive', '--seed', 's', '--out', 'x']);
    const { files } = captureFiles(options);
    expect(files.get('keylog.txt')).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);
    expect([...files.keys()].filter((f) => f.endsWith('key.pem'))).toEqual(['bank-signing-key.pem']);
  });

  it.skipIf(!hasOpenssl())('takes level 6 by its label: the intermediate’s certificate too, and the bank’s verifies through it at game time (skipped without openssl)', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'heist-capture-chain-'));
    dirs.push(out);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tools/capture.ts', '--level', '6', '--attack', 'ownCertificateAsCa', '--seed', 'cli', '--out', out]);
    expect(stdout).toMatch(/^Level 6, attacker ownCertificateAsCa, seed "cli": Attack detected: certificate rejected: "mallory\.example" signed a certificate but is no CA/);
    expect(stdout).toContain(`Check the certificate at game time: openssl verify -attime ${DEFAULT_CONFIG.gameClock} -CAfile root.pem -untrusted intermediate.pem bank.pem\n`);
    expect(readdirSync(out).sort()).toEqual(['attacker.pcapng', 'bank.pem', 'intermediate.pem', 'keylog.txt', 'root.pem', 'round.pcapng']);
    const verify = await run('openssl', ['verify', '-x509_strict', '-attime', String(DEFAULT_CONFIG.gameClock), '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'bank.pem'], { cwd: out });
    expect(verify.stdout).toBe('bank.pem: OK\n');
  });

  it('levels without a CA have no certificates or leaked key to write', () => {
    const { files } = captureFiles(parseOptions(['--level', '1', '--attack', 'tamper', '--seed', 's', '--out', 'x']));
    expect([...files.keys()]).toEqual(['round.pcapng', 'attacker.pcapng', 'keylog.txt']);
    expect(files.get('keylog.txt')).toBe('');
  });

  it('refuses a missing or unknown argument, naming what it accepts', async () => {
    expect(() => parseOptions(['--attack', 'passive', '--seed', 's', '--out', 'x'])).toThrow(/--level is required/);
    expect(() => parseOptions(['--level', '7', '--attack', 'passive', '--seed', 's', '--out', 'x'])).toThrow(/--level must be one of 1, 2, 3, 4, 4e, 5, 6 \(got "7"\)/);
    expect(() => parseOptions(['--level', '4', '--attack', 'hack', '--seed', 's', '--out', 'x'])).toThrow(UsageError);
    expect(() => parseOptions(['--level', '4', '--attack', 'passive', '--seed', 's', '--out', 'x', '--force'])).toThrow(/Unknown option '--force'/);
    const failed = await run(process.execPath, ['--import', 'tsx', 'tools/capture.ts', '--level', '4'], {}).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/^--seed is required\nusage: npm run capture -- --level/);
  });
});
