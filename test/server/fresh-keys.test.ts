/**
 * Level 4 must not be beaten by pasting an old key. A purely passive attacker plays rounds
 * on the live server (no seed: as `npm start` runs it), keeps every RSA key the game hands her —
 * "your RSA-2048 private key" from her view, and the bank's key the "server key leaked" event
 * gives her after each round — and in a later round pastes them all into "try a key" on the
 * key exchange she recorded. With a fixed pool of four keys she once read later rounds this
 * way; every round's keys must now be fresh, so nothing opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { RSA_KEY_POOL, toHex, type AttackerView, type RoundFile } from '@heist/shared';
import { fromPem, rsaKeyPair } from '../../shared/src/pki/keys.ts';
import { bootServer, Person, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  // No seed: keys as `npm start` makes them. Packets take 0.6 s, so she has time to paste while Alice's session goes on.
  t = await bootServer({ seed: undefined, timing: { latencyMs: 600 } });
});
afterAll(async () => {
  await t.close();
});

const BOTS = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' } as const;
const OWN_KEY = 'your RSA-2048 private key';

/** The PKCS #1 key inside the PEM the leak hands out, as hex (what "try a key" takes). */
function pkcs1Hex(pem: string): string {
  const info = AsnConvert.parse(fromPem(pem, 'PRIVATE KEY'), PrivateKeyInfo);
  return toHex(new Uint8Array(info.privateKey.buffer));
}

describe('a passive attacker pasting keys from earlier rounds', () => {
  it('reads nothing: every round’s keys are new, and none is from the fixed test pool', { timeout: 120_000 }, async () => {
    const mallory = await Person.create(t.url, 'Mallory');
    mallory.send('configure', { level: 4, bots: BOTS });
    mallory.send('chooseSeat', { role: 'attacker' });
    await until('her seat', () => mallory.state.members.get(mallory.room.sessionId)?.role === 'attacker');
    const pool = new Set(RSA_KEY_POOL.map((k) => toHex(rsaKeyPair(k).secretKey)));
    const seen: string[] = [];
    const her = () => mallory.view as AttackerView | undefined;

    const playRound = async (round: number) => {
      const views = mallory.views.length;
      mallory.send('start');
      const view = await until(`round ${round}`, () => mallory.views.slice(views).find((v) => v.phase === 'preparing' || v.phase === 'playing'), 30_000);
      mallory.send('action', { type: 'ready' });
      return view as AttackerView;
    };
    const leakedKey = async () => {
      const n = mallory.messages.length;
      mallory.send('download', { file: 'leakedKey' });
      const file = await until('the leaked key', () => mallory.messages.slice(n).find((m) => m.type === 'download')?.payload as RoundFile | undefined);
      return pkcs1Hex(new TextDecoder().decode(file.bytes));
    };

    // Three rounds of collecting.
    for (let round = 1; round <= 3; round++) {
      const view = await playRound(round);
      seen.push(view.keys[OWN_KEY]!);
      await until(`round ${round}'s result`, () => mallory.view?.result, 60_000);
      seen.push(await leakedKey());
    }

    // The fourth round: once Alice's first sealed record (her Finished) has gone by, she pastes them all on the key exchange she recorded.
    await playRound(4);
    await until('Alice’s Finished on the Wi-Fi', () => her()?.phase === 'playing' && her()!.captured.some((p) => p.from === 'client' && p.label === 'EncryptedRecord'), 60_000);
    const kex = her()!.captured.find((p) => p.label === 'ClientKeyExchange')!;
    for (const key of seen) mallory.send('action', { type: 'tryKey', packetId: kex.id, keyHex: key });
    await until('every trial', () => her()!.keyTrials.length === seen.length, 30_000);
    expect(mallory.errors).toEqual([]);
    // Nothing opens: no finding but "does not decrypt", no packet she holds in plain text, no PIN.
    expect(her()!.findings).toEqual(seen.map((key) => `Key ${key.slice(0, 8)}… on packet #${kex.id}: did not open it. this key does not decrypt the pre-master secret: it is not the RSA private key it was encrypted to.`));
    expect(her()!.captured.filter((p) => p.plaintext !== undefined)).toEqual([]);
    const result = await until('round 4’s result', () => mallory.view?.result, 60_000);
    expect(result.outcome).toBe('secure');
    // Every key she was handed was new, the bank's of this round too, and none from the fixed pool.
    const fourth = await leakedKey();
    expect(new Set([...seen, fourth]).size, 'seven keys, each new').toBe(7);
    for (const key of [...seen, fourth]) expect(pool.has(key), 'a key from the fixed pool').toBe(false);
    await mallory.leave();
  });
});
