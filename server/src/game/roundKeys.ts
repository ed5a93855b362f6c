/**
 * RSA-2048 keys for the rounds of levels 4, 4e and 5 (their encryption keys are RSA): fresh
 * where a key protects something, a few spare ones reused where it protects nothing.
 *
 * Fresh (level 4). The client encrypts the pre-master secret to the key the bank's certificate
 * carries, and the attacker's certificates carry hers. Players are handed such keys ("your
 * RSA-2048 private key", and the bank's after the "server key leaked" event), and any key can be
 * pasted into "try a key"; with a fixed pool a passive attacker collected every key in three
 * rounds and read the later ones. So both keys of a level-4 round are new and never given to
 * another round. The attacker's own key too, though knowing it lets nobody else decrypt anything
 * (only she captures what is encrypted to it): a key seen before would tell a student who kept
 * it, playing Alice, that a certificate carrying it is Mallory's, even one a sloppy CA signed for
 * bank.example that passes every check — a round she should lose by the rules she would win by
 * memory (docs/benchmarks.md, "Which keys must be fresh").
 *
 * Spare (levels 4e and 5). Nothing is encrypted to an RSA key there (the key exchange is
 * ECDHE or X25519, the certificates carry the ECDSA P-256 signing key, and the key that leaks
 * is that one); the bank's RSA key only shows as the wrong key it could have certified (a
 * certificate carrying it fails Alice's checks), the attacker's as one of her keys. So each
 * side's keys come from a few made by this process and reused: never a level-4 key, never the
 * bank's handed to an attacker, and no key from the fixed pool shipped with the game.
 *
 * A 2048-bit key takes ~50-400 ms of CPU, so keys are made ahead, off the event loop, by two
 * background threads at the lowest priority (crypto/lowPriorityRsaKeys.ts), so that making them
 * never takes a core from the rooms' event loop: a key thread runs when the loop does not need
 * the core. A few keys are kept ready, so a round usually starts at once; when they run out (a
 * class starts many rooms together) the rounds start as their keys arrive, in order. Where the
 * threads cannot run (they failed), keys are made on libuv's thread pool (node:crypto's async
 * generateKeyPair) at ordinary priority, as before. The buffer starts filling when the first
 * round asks, so a process that never plays those levels never makes a key.
 *
 * Why not keep an ordinary-priority path for rounds that wait: under load that is whenever the
 * buffer is dry, and then the key making (about half of the server's CPU at 250 rooms of
 * 20-second rounds) shares the cores with the event loop again, which is what every room feels
 * (docs/benchmarks.md). With Linux's autogroups (a desktop's default) a nice value only ranks
 * the threads of the server's own session, so the key threads still get every core the server's
 * event loop leaves idle, whatever else the machine runs.
 *
 * Only the live server uses this: a server given a seed (tests) leaves the keys to the round,
 * which then picks from the fixed pool by its seed so a seed replays a round exactly.
 */
import { generateKeyPair } from 'node:crypto';
import type { LevelModule, RoundRsaKeys } from '@heist/shared';
import { LowPriorityRsaKeys, type RsaJwk } from '../crypto/lowPriorityRsaKeys.ts';

type RsaPrivateKey = RoundRsaKeys['bank'];

/** What a round's RSA keys must be: new and never given to another round, or spare ones reused. */
export type RsaKeysWanted = 'fresh' | 'spare';

/**
 * The RSA keys a level's rounds need: none where its encryption keys are X25519; spare ones
 * where nothing depends on them (one-time key shares, certificates and the leaking key on the
 * ECDSA signing key: levels 4e and 5); fresh ones everywhere else (level 4, and any level whose
 * certificates, key transport or leak use the encryption key).
 */
export function rsaKeysWanted(module: LevelModule): RsaKeysWanted | undefined {
  if (module.encryptionKeyType !== 'rsa') return undefined;
  const unused = module.keyExchange === 'ephemeral' && module.pki?.certificateKey.of === 'signingKey' && module.longTermKey?.of !== 'encryptionKey';
  return unused ? 'spare' : 'fresh';
}

/** Where a round's RSA keys come from: at once, or once they are made. */
export interface RsaKeySource {
  take(wanted: RsaKeysWanted): RoundRsaKeys | Promise<RoundRsaKeys>;
}

/** Keys kept ready: the bank's and the attacker's for eight rounds (a class of 32 starting together). */
const READY = 16;
/** Background threads making keys at low priority. */
const THREADS = 2;
/** Spare keys per side (bank, attacker), made once and then taken in turn. */
const SPARES = 2;
/** Keys made at once on libuv's pool when the threads have failed (it has four threads, shared with file and DNS work). */
const ON_POOL_AT_ONCE = 2;

export class LiveRsaKeys implements RsaKeySource {
  private readonly ready: RsaPrivateKey[] = [];
  private readonly waiting: { resolve(key: RsaPrivateKey): void; reject(e: Error): void }[] = [];
  private background: LowPriorityRsaKeys | undefined;
  /** Keys being made on libuv's pool (only once the threads have failed). */
  private making = 0;
  private failures = 0;
  private closed = false;
  /** The spare keys of each side, made (or being made) once, and whose turn is next. */
  private readonly spares: Record<keyof RoundRsaKeys, { keys: (RsaPrivateKey | Promise<RsaPrivateKey>)[]; turn: number }> = {
    bank: { keys: [], turn: 0 },
    attacker: { keys: [], turn: 0 },
  };

  constructor(private readonly log: (line: string) => void) {}

  take(wanted: RsaKeysWanted): RoundRsaKeys | Promise<RoundRsaKeys> {
    const bank = wanted === 'fresh' ? this.key() : this.spare('bank');
    const attacker = wanted === 'fresh' ? this.key() : this.spare('attacker');
    if (bank instanceof Promise || attacker instanceof Promise) return Promise.all([bank, attacker]).then(([b, a]) => ({ bank: b, attacker: a }));
    return { bank, attacker };
  }

  /** Whether the background threads run below ordinary priority (undefined until they have started). */
  get lowPriority(): boolean | undefined {
    return this.background?.lowPriority;
  }

  /** Stop making keys (the server is closing). */
  close(): void {
    this.closed = true;
    void this.background?.close();
  }

  private key(): RsaPrivateKey | Promise<RsaPrivateKey> {
    const ready = this.ready.shift();
    const promise = ready ? undefined : new Promise<RsaPrivateKey>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.refill();
    return ready ?? promise!;
  }

  /** One of the side's spare keys: a new one until it has SPARES, then each in turn. */
  private spare(side: keyof RoundRsaKeys): RsaPrivateKey | Promise<RsaPrivateKey> {
    const spares = this.spares[side];
    const { keys } = spares;
    if (keys.length < SPARES) {
      const key = this.key();
      keys.push(key);
      if (key instanceof Promise)
        key.then(
          (made) => keys.splice(keys.indexOf(key), 1, made),
          () => keys.splice(keys.indexOf(key), 1), // not made: the next round asks for another
        );
      return key;
    }
    return keys[spares.turn++ % keys.length]!;
  }

  private refill(): void {
    if (this.closed) return;
    const background = (this.background ??= new LowPriorityRsaKeys(THREADS, this.log));
    const wanted = READY + this.waiting.length - this.ready.length;
    if (background.working) {
      while (background.pending < wanted)
        background.make().then(
          (jwk) => this.made(() => jwk),
          // The threads have stopped (and said why): the pool takes over.
          () => this.refill(),
        );
      return;
    }
    while (this.making < Math.min(ON_POOL_AT_ONCE, wanted)) {
      this.making++;
      generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (error, _publicKey, privateKey) => {
        this.making--;
        this.made(() => {
          if (error) throw error;
          return privateKey.export({ format: 'jwk' });
        });
      });
    }
  }

  private made(jwk: () => RsaJwk): void {
    if (this.closed) return;
    let key: RsaPrivateKey | undefined;
    try {
      key = fromJwk(jwk());
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
function fromJwk(jwk: RsaJwk): RsaPrivateKey {
  const part = (name: string) => {
    const value = jwk[name];
    if (typeof value !== 'string') throw new Error(`an RSA JWK without ${name}`);
    return new Uint8Array(Buffer.from(value, 'base64url'));
  };
  return { n: part('n'), e: part('e'), d: part('d'), p: part('p'), q: part('q'), dp: part('dp'), dq: part('dq'), qi: part('qi') };
}
