/**
 * Fresh RSA-2048 keys for every round at levels 4, 4e and 5: the bank's and the attacker's.
 * Players are handed such keys ("your RSA-2048 private key", and the bank's after the "server
 * key leaked" event), and any key can be pasted into "try a key"; with a fixed pool a passive
 * attacker collected every key in three rounds and read the later ones. So a key a player
 * has seen never comes back.
 *
 * node:crypto's generateKeyPair runs in libuv's thread pool, off the event loop (a 2048-bit
 * key takes ~50-300 ms of CPU). A few keys are kept ready and refilled in the background, two
 * at a time, so a round usually starts at once; when a class starts many rooms together and
 * the buffer runs dry, the rounds start as their keys arrive. The buffer starts filling when
 * the first round asks, so a process that never plays those levels never makes a key.
 *
 * Only the live server uses this: a server given a seed (tests) leaves the keys to the round,
 * which then picks from the fixed pool by its seed so a seed replays a round exactly.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import type { RoundRsaKeys } from '@heist/shared';

type RsaPrivateKey = RoundRsaKeys['bank'];

/** Where a round's RSA keys come from: at once, or once they are made. */
export interface RsaKeySource {
  take(): RoundRsaKeys | Promise<RoundRsaKeys>;
}

/** Keys kept ready: the bank's and the attacker's for four rounds. */
const READY = 8;
/** Keys made at once (libuv's pool has four threads, shared with file and DNS work). */
const AT_ONCE = 2;

export class FreshRsaKeys implements RsaKeySource {
  private readonly ready: RsaPrivateKey[] = [];
  private readonly waiting: { resolve(key: RsaPrivateKey): void; reject(e: Error): void }[] = [];
  private making = 0;
  private failures = 0;
  private closed = false;

  constructor(private readonly log: (line: string) => void) {}

  take(): RoundRsaKeys | Promise<RoundRsaKeys> {
    const bank = this.key();
    const attacker = this.key();
    if (bank instanceof Promise || attacker instanceof Promise) return Promise.all([bank, attacker]).then(([b, a]) => ({ bank: b, attacker: a }));
    return { bank, attacker };
  }

  /** Stop making keys (the server is closing). */
  close(): void {
    this.closed = true;
  }

  private key(): RsaPrivateKey | Promise<RsaPrivateKey> {
    const ready = this.ready.shift();
    const promise = ready ? undefined : new Promise<RsaPrivateKey>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.refill();
    return ready ?? promise!;
  }

  private refill(): void {
    while (!this.closed && this.making < AT_ONCE && this.ready.length + this.making < READY + this.waiting.length) {
      this.making++;
      generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (error, _publicKey, privateKey) => this.made(error, privateKey));
    }
  }

  private made(error: Error | null, privateKey: KeyObject): void {
    this.making--;
    let key: RsaPrivateKey | undefined;
    try {
      if (error) throw error;
      key = fromJwk(privateKey.export({ format: 'jwk' }));
    } catch (e) {
      this.log(`making an RSA key failed: ${(e as Error)?.message ?? e}`);
      // Something is wrong with the crypto library itself: tell the rounds waiting rather than try forever.
      if (++this.failures >= 3) {
        for (const w of this.waiting.splice(0)) w.reject(e as Error);
        return;
      }
    }
    if (key) {
      this.failures = 0;
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(key);
      else this.ready.push(key);
    }
    this.refill();
  }
}

/** RFC 7518 §6.3: the private key's numbers, big-endian, base64url. */
function fromJwk(jwk: { [name: string]: unknown }): RsaPrivateKey {
  const part = (name: string) => {
    const value = jwk[name];
    if (typeof value !== 'string') throw new Error(`an RSA JWK without ${name}`);
    return new Uint8Array(Buffer.from(value, 'base64url'));
  };
  return { n: part('n'), e: part('e'), d: part('d'), p: part('p'), q: part('q'), dp: part('dp'), dq: part('dq'), qi: part('qi') };
}
