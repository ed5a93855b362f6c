/**
 * Flipping bits in a record she cannot read: the malleability of a stream cipher. AES-CTR
 * encrypts by XOR with a keystream, C = P ⊕ K, so C ⊕ M decrypts to P ⊕ M. Whoever knows (or
 * guesses) the plaintext where she wants to change it needs no key: the mask M is her guess XOR
 * what she wants there, and she XORs it onto the ciphertext at the same place. A tag over the
 * ciphertext (AES-GCM's, SP 800-38D) turns the same change into a refused record instead.
 *
 * Aligned at the end of the plaintext, which a student can count from: the transfer form ends
 * with its amount. Pure byte arithmetic (no cryptography), so the attacker's panel shows the
 * same plan the round applies.
 */
import { utf8 } from '../codec/bytes.ts';

/** The longest guess the tool takes (the end of a transfer form is a few dozen bytes). */
export const FLIP_MAX = 64;

export interface FlipPlan {
  /** Her guess of the last bytes of the plaintext, and what she wants there (as bytes). */
  guess: Uint8Array;
  wanted: Uint8Array;
  /** guess ⊕ wanted: which bits to flip (zero where the two agree). */
  mask: Uint8Array;
  /** The last bytes of the ciphertext, before and after the mask. */
  before: Uint8Array;
  after: Uint8Array;
  /** Where `before` starts in the ciphertext. */
  at: number;
}

/** The plan for the end of `ciphertext`, or why there is none, in words for the player. */
export function planFlip(ciphertext: Uint8Array, known: string, wanted: string): FlipPlan | { problem: string } {
  const guess = utf8(known);
  const want = utf8(wanted);
  if (guess.length === 0) return { problem: 'type your guess of how the message ends' };
  if (guess.length > FLIP_MAX) return { problem: `at most ${FLIP_MAX} bytes at a time` };
  if (want.length !== guess.length) {
    return { problem: `what you want must be exactly as long as your guess (${guess.length} bytes, not ${want.length}): flipping bits changes bytes, it cannot add or remove any` };
  }
  if (guess.length > ciphertext.length) return { problem: `the record has only ${ciphertext.length} bytes of ciphertext, fewer than your ${guess.length}` };
  const mask = guess.map((g, i) => g ^ want[i]!);
  if (mask.every((b) => b === 0)) return { problem: 'what you want is what you guessed: no bit to flip' };
  const at = ciphertext.length - guess.length;
  const before = ciphertext.slice(at);
  return { guess, wanted: want, mask, before, after: before.map((c, i) => c ^ mask[i]!), at };
}

/** The ciphertext with the plan's mask applied (a copy). */
export function applyFlip(ciphertext: Uint8Array, plan: FlipPlan): Uint8Array {
  const out = ciphertext.slice();
  out.set(plan.after, plan.at);
  return out;
}
