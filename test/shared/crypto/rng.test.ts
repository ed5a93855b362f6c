/**
 * seededRng (shared/src/crypto/rng.ts): a ChaCha20 stream (RFC 8439) keyed by SHA-256(seed).
 * What the game relies on: a round replays exactly from its seed, and each party's fork is
 * independent of how much anyone else draws.
 */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../shared/src/crypto/index.ts';
import { toHex, utf8 } from '../../../shared/src/codec/bytes.ts';

const draw = (seed: string | Uint8Array, sizes: number[]) => {
  const rng = seededRng(seed);
  return sizes.map((n) => toHex(rng.bytes(n)));
};

describe('seededRng', () => {
  it('the same seed gives the same bytes, draw for draw', () => {
    expect(draw('round-42', [32, 12, 100, 1])).toEqual(draw('round-42', [32, 12, 100, 1]));
  });

  it('a string seed and its UTF-8 bytes are the same seed', () => {
    expect(draw('round-42', [32])).toEqual(draw(utf8('round-42'), [32]));
  });

  it('different seeds give different bytes', () => {
    expect(draw('round-42', [32])).not.toEqual(draw('round-43', [32]));
  });

  it('bytes(n) returns n bytes and successive draws differ', () => {
    const rng = seededRng('lengths');
    for (const n of [0, 1, 63, 64, 65, 200]) expect(rng.bytes(n).length).toBe(n);
    expect(toHex(rng.bytes(32))).not.toBe(toHex(rng.bytes(32)));
  });

  it('forks with different labels are different streams, and differ from the parent', () => {
    const rng = seededRng('forks');
    const client = toHex(rng.fork('client').bytes(32));
    const server = toHex(rng.fork('server').bytes(32));
    expect(client).not.toBe(server);
    expect(toHex(seededRng('forks').bytes(32))).not.toBe(client);
  });

  it("a fork's stream does not shift when the parent or a sibling draws more", () => {
    const quiet = seededRng('independence');
    const quietServer = toHex(quiet.fork('server').bytes(64));

    const busy = seededRng('independence');
    busy.bytes(1000);
    const busyClient = busy.fork('client');
    busyClient.bytes(500);
    busyClient.int(10);
    expect(toHex(busy.fork('server').bytes(64))).toBe(quietServer);
  });

  it('int(max) stays in [0, max), is an integer and reaches every value of a small range', () => {
    const rng = seededRng('dice');
    const seen = new Set<number>();
    for (let i = 0; i < 600; i++) {
      const v = rng.int(6);
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(6);
      seen.add(v);
    }
    expect(seen.size).toBe(6);
    expect(seededRng('one').int(1)).toBe(0);
  });

  it('int(max) is reproducible from the seed', () => {
    const a = seededRng('ints');
    const b = seededRng('ints');
    const xs = Array.from({ length: 20 }, () => a.int(1000));
    expect(Array.from({ length: 20 }, () => b.int(1000))).toEqual(xs);
  });

  it('int(max) refuses zero, negative and fractional bounds', () => {
    const rng = seededRng('bad');
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(-3)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });
});
