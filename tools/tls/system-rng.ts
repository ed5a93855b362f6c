/**
 * The engine's Rng on the operating system's randomness (node:crypto), for the command line:
 * real connections need keys nobody can replay from a seed. Tests pass `seededRng` instead.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Rng } from '../../shared/src/crypto/rng.ts';

export const systemRng: Rng = {
  bytes: (n) => new Uint8Array(randomBytes(n)),
  int: (max) => randomInt(max),
  // Every draw is fresh already: a fork is the same source.
  fork: () => systemRng,
};
