/**
 * Wireshark's own dissector (tshark) opens the game's captures as a teacher and an attacker
 * would: the teacher's file decrypts by itself (its Decryption Secrets Block), the attacker's
 * does not; with the bank's leaked RSA key the attacker's level-4 recording opens, and no RSA
 * key opens a level-4e (ECDHE) or TLS 1.3 one: forward secrecy comes from the key exchange. Skipped, saying so, where tshark is not installed (Debian: tshark).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import type { Level } from '../../shared/src/round/types.ts';
import { attackerCapture, teacherCapture } from '../../shared/src/capture/round-capture.ts';
import { leakedKey, rsaPkcs8 } from '../../shared/src/capture/key-files.ts';
import { pem } from '../../shared/src/pki/keys.ts';
import { levelByLabel } from '../../shared/src/levels/texts/index.ts';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the Wireshark decryption tests (apt-get install tshark)');

const dir = mkdtempSync(path.join(os.tmpdir(), 'heist-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh configuration directory, so nobody's Wireshark preferences change what it shows. */
function tshark(file: string, ...options: string[]): { requests: string[]; stderr: string } {
  const result = spawnSync('tshark', ['-r', file, ...options, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'urlencoded-form.value'], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir },
  });
  return { requests: result.stdout.split('\n').filter((l) => l !== ''), stderr: result.stderr };
}

function round(level: Level, name: string) {
  // A careful Alice has HSTS: no plain http:// request, so any HTTP tshark shows it decrypted.
  const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, `tshark-${level}`);
  expect(round.result?.outcome).toBe('secure');
  const file = (suffix: string, bytes: Uint8Array | string) => {
    const p = path.join(dir, `${name}-${suffix}`);
    writeFileSync(p, bytes);
    return p;
  };
  const order = round.client.order;
  return {
    teacher: file('round.pcapng', teacherCapture(round)),
    attacker: file('attacker.pcapng', attackerCapture(round)),
    leaked: file('leaked-key.pem', leakedKey(round)!.pem),
    bankRsa: file('bank-rsa.pem', pem('PRIVATE KEY', rsaPkcs8(round.server.config.encryptionKey.secretKey))),
    transfer: `POST\t/transfer\t${order.pin},${order.to},${order.amount}`,
  };
}

const rsaKeys = (file: string) => ['-o', `uat:rsa_keys:"${file}",""`];

describe.skipIf(!hasTshark)('Wireshark (tshark) opens the captures', () => {
  it('level 4: the teacher’s capture decrypts by its key log; the attacker’s does not, until she has the bank’s leaked RSA key', () => {
    const r = round(4, 'l4');
    expect(tshark(r.teacher).requests).toEqual([r.transfer]);
    expect(tshark(r.attacker).requests).toEqual([]);
    expect(tshark(r.attacker, ...rsaKeys(r.leaked)).requests).toEqual([r.transfer]);
  });

  it.each([
    { level: 6 as Level, label: '4e', version: 'TLS 1.2 with ECDHE' },
    { level: 5 as Level, label: '5', version: 'TLS 1.3' },
  ])('level $label: the key log opens $version; no RSA key of the bank does, and its leaked signing key is no decryption key at all', ({ level, label }) => {
    const r = round(level, `l${label}`);
    expect(tshark(r.teacher).requests).toEqual([r.transfer]);
    expect(tshark(r.attacker).requests).toEqual([]);
    const withRsa = tshark(r.attacker, ...rsaKeys(r.bankRsa));
    expect(withRsa.stderr).not.toMatch(/Error loading RSA key/);
    expect(withRsa.requests).toEqual([]);
    const withLeaked = tshark(r.attacker, ...rsaKeys(r.leaked));
    expect(withLeaked.stderr).toMatch(/isn't RSA/);
    expect(withLeaked.requests).toEqual([]);
  });

  it('level 6: the Certificate message carries the chain in the clear — bank.example, then Heist Issuing CA — and the key log opens the session', () => {
    const { round } = simulateRound(levelByLabel('6')!, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'tshark-chain');
    expect(round.result?.outcome).toBe('secure');
    const teacher = path.join(dir, 'l6-round.pcapng');
    writeFileSync(teacher, teacherCapture(round));
    const attacker = path.join(dir, 'l6-attacker.pcapng');
    writeFileSync(attacker, attackerCapture(round));
    const order = round.client.order;
    expect(tshark(teacher).requests).toEqual([`POST\t/transfer\t${order.pin},${order.to},${order.amount}`]);
    // The attacker's recording has no secrets, yet the chain is there to read: two certificates, each CN as issuer then subject.
    const certificates = spawnSync('tshark', ['-r', attacker, '-Y', 'tls.handshake.type == 11', '-T', 'fields', '-E', 'separator=|', '-e', 'tls.handshake.certificate_length', '-e', 'x509sat.uTF8String'], { encoding: 'utf8', env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir } });
    const [lengths, names] = certificates.stdout.trim().split('|');
    expect(lengths?.split(',')).toHaveLength(2);
    expect(names).toBe('Heist Issuing CA,bank.example,Heist Root CA,Heist Issuing CA');
  });

  it('reads every frame without a malformed-packet or checksum complaint', () => {
    const r = round(4, 'l4-clean');
    const out = execFileSync('tshark', ['-r', r.teacher, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-Y', '_ws.malformed || _ws.expert.severity >= warning'], { encoding: 'utf8', env: { ...process.env, HOME: dir }, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out).toBe('');
  });
});
