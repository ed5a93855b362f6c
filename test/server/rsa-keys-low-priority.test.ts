/**
 * The live server's RSA keys are made ahead on threads at the lowest CPU priority, so that the
 * key making (about half of the server's CPU at 250 rooms) never takes a core from the rooms'
 * event loop (docs/benchmarks.md). Every level-4 round gets two new RSA-2048 keys of its own,
 * none from the fixed test pool, at once or as soon as made; the levels whose RSA keys protect
 * nothing (4e and 5) reuse a few spare ones (game/roundKeys.ts says why that is safe).
 */
import fs from 'node:fs';
import os from 'node:os';
import { createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, constants } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RSA_KEY_POOL, toHex, type RoundRsaKeys } from '@heist/shared';
import { LowPriorityRsaKeys } from '../../server/src/crypto/lowPriorityRsaKeys.ts';
import { LiveRsaKeys } from '../../server/src/game/roundKeys.ts';

type Key = RoundRsaKeys['bank'];
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The key works as an RSA-2048 key pair with e = 65537: what is encrypted to its public half, its private half opens. */
function expectWorkingRsa2048(key: Key): void {
  const jwk = { kty: 'RSA', n: b64(key.n), e: b64(key.e), d: b64(key.d), p: b64(key.p), q: b64(key.q), dp: b64(key.dp), dq: b64(key.dq), qi: b64(key.qi) };
  const secret = createPrivateKey({ key: jwk, format: 'jwk' });
  expect(secret.asymmetricKeyDetails).toEqual({ modulusLength: 2048, publicExponent: 65537n });
  const sealed = publicEncrypt({ key: createPublicKey(secret), padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from('pre-master secret'));
  expect(privateDecrypt({ key: secret, padding: constants.RSA_PKCS1_OAEP_PADDING }, sealed).toString()).toBe('pre-master secret');
}

/** The nice value of each of this process's threads (Linux). */
function threadNiceness(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return nice;
}

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('RSA keys made at low priority', () => {
  it.runIf(os.platform() === 'linux')('are made on threads at nice 19 while the event loop keeps its ordinary priority', { timeout: 60_000 }, async () => {
    const before = threadNiceness();
    const keys = new LowPriorityRsaKeys(2, () => undefined);
    closers.push(() => keys.close());
    const [first] = await Promise.all([keys.make(), keys.make()]);
    expect(keys.lowPriority).toBe(true);
    const added = [...threadNiceness()].filter(([tid]) => !before.has(tid));
    expect(added.map(([, nice]) => nice)).toEqual([19, 19]);
    expect(os.getPriority()).toBe(0); // the process, its event loop
    expect(first).toMatchObject({ kty: 'RSA', e: 'AQAB' });
  });

  it('give every round two working RSA-2048 keys of its own, none from the fixed pool, from a cold start and from the buffer', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const source = new LiveRsaKeys((line) => lines.push(line));
    closers.push(() => source.close());
    const rounds: RoundRsaKeys[] = [];
    // The first round waits for its keys (nothing made yet); the buffer then fills in the background.
    rounds.push(await source.take('fresh'));
    await new Promise((r) => setTimeout(r, 3000));
    for (let i = 0; i < 5; i++) rounds.push(await source.take('fresh'));
    const keys = rounds.flatMap((r) => [r.bank, r.attacker]);
    for (const key of keys) expectWorkingRsa2048(key);
    const pool = new Set(RSA_KEY_POOL.map((k) => toHex(k.n)));
    const seen = keys.map((k) => toHex(k.n));
    expect(new Set(seen).size, 'twelve keys, each new').toBe(12);
    expect(seen.filter((k) => pool.has(k))).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('give rounds that use no RSA key (levels 4e and 5) two spare keys a side, reused, never a fresh round’s and never the bank’s to the attacker', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const source = new LiveRsaKeys((line) => lines.push(line));
    closers.push(() => source.close());
    const spareRounds: RoundRsaKeys[] = [];
    for (let i = 0; i < 5; i++) spareRounds.push(await source.take('spare'));
    const freshRounds = [await source.take('fresh'), await source.take('fresh')];
    for (let i = 0; i < 3; i++) spareRounds.push(await source.take('spare'));
    const n = (k: Key) => toHex(k.n);
    const bank = new Set(spareRounds.map((r) => n(r.bank)));
    const attacker = new Set(spareRounds.map((r) => n(r.attacker)));
    expect(bank.size, 'two bank keys, taken in turn').toBe(2);
    expect(attacker.size, 'two attacker keys, taken in turn').toBe(2);
    expect([...bank].filter((k) => attacker.has(k)), 'a bank key handed to an attacker').toEqual([]);
    const fresh = freshRounds.flatMap((r) => [n(r.bank), n(r.attacker)]);
    expect(new Set(fresh).size).toBe(4);
    expect(fresh.filter((k) => bank.has(k) || attacker.has(k)), 'a spare key in a fresh round').toEqual([]);
    const pool = new Set(RSA_KEY_POOL.map((k) => toHex(k.n)));
    expect([...bank, ...attacker].filter((k) => pool.has(k))).toEqual([]);
    for (const r of spareRounds.slice(0, 2)) {
      expectWorkingRsa2048(r.bank);
      expectWorkingRsa2048(r.attacker);
    }
    expect(lines).toEqual([]);
  });

  it('still serve rounds when a background thread dies: the thread pool takes over, and the log says why', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const source = new LiveRsaKeys((line) => lines.push(line));
    closers.push(() => source.close());
    const first = await source.take('fresh');
    // One of the background threads is gone, as if it had crashed.
    const background = (source as unknown as { background: { threads: { worker: { terminate(): Promise<number> } }[] } }).background;
    await background.threads[0]!.worker.terminate();
    const later = [await source.take('fresh'), await source.take('fresh'), await source.take('fresh')];
    const seen = [first, ...later].flatMap((r) => [r.bank, r.attacker]).map((k) => toHex(k.n));
    expect(new Set(seen).size).toBe(8);
    for (const r of later) expectWorkingRsa2048(r.bank);
    expect(lines).toEqual(['RSA key threads stopped: an RSA key thread stopped (exit code 1)']);
  });
});
