/**
 * Nicknames, as players type them, and codes. A nickname is shown to the whole class, so it
 * must be visible and must not pass for someone else: no invisible characters (Hangul fillers
 * look like a blank name), no look-alike of a name already there (Cyrillic "Аda" for "Ada"), no
 * "Teacher" (the teacher's projector watches under that name).
 */
import { LIMITS } from '@heist/shared';
import unhomoglyph from 'unhomoglyph';

export type NicknameCheck = { ok: true; nickname: string } | { ok: false; reason: string };

/** Characters that show nothing (Unicode's Default_Ignorable_Code_Point: Hangul fillers, zero-width spaces and joiners, …). */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
/** More marks on one letter than any script writes: a "Zalgo" name spilling over its neighbours. */
const STACKED_MARKS = /\p{M}{4,}/u;
/** The name the teacher watches under. */
const RESERVED = ['Teacher'];

/** Trim and NFC-normalise, then check length and characters. Duplicates are the caller's check (`sameNickname`). */
export function checkNickname(raw: unknown): NicknameCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'A nickname is required.' };
  if (INVISIBLE.test(raw)) return { ok: false, reason: 'A nickname may not contain invisible characters.' };
  const nickname = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  const length = [...nickname].length;
  if (length < LIMITS.nicknameMin || length > LIMITS.nicknameMax)
    return { ok: false, reason: `A nickname has ${LIMITS.nicknameMin} to ${LIMITS.nicknameMax} characters.` };
  if (!LIMITS.nicknamePattern.test(nickname) || STACKED_MARKS.test(nickname))
    return { ok: false, reason: 'A nickname may use letters, digits, spaces, dashes and underscores.' };
  if (RESERVED.some((r) => sameNickname(r, nickname))) return { ok: false, reason: `“${nickname}” is kept for the teacher: pick another nickname.` };
  return { ok: true, nickname };
}

/**
 * What a nickname looks like, for comparing: Unicode's confusable skeleton (UTS #39 §4: NFD,
 * each character mapped by confusables.txt, NFD again; the mapping from unhomoglyph, which
 * ships that table), taken again after lower-casing, so case does not count either.
 */
export function nicknameSkeleton(nickname: string): string {
  const skeleton = (s: string) => unhomoglyph(s.normalize('NFD')).normalize('NFD');
  return skeleton(skeleton(nickname).toLowerCase());
}

/** Two nicknames clash if they look alike: the same but for case, or for look-alike letters of other scripts. */
export function sameNickname(a: string, b: string): boolean {
  return nicknameSkeleton(a) === nicknameSkeleton(b);
}

/** Accept codes typed in lower case or with spaces; the canonical code is upper case. */
export function normaliseCode(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const code = raw.replace(/\s+/g, '').toUpperCase();
  if (code.length !== LIMITS.roomCodeLength) return null;
  for (const ch of code) if (!LIMITS.roomCodeAlphabet.includes(ch)) return null;
  return code;
}

/** A fresh code from the unambiguous alphabet that `taken` does not already hold. */
export function newCode(randomInt: (max: number) => number, taken: (code: string) => boolean): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    let code = '';
    for (let i = 0; i < LIMITS.roomCodeLength; i++) code += LIMITS.roomCodeAlphabet[randomInt(LIMITS.roomCodeAlphabet.length)];
    if (!taken(code)) return code;
  }
  throw new Error('no free room code'); // 31^5 ≈ 28.6 million codes: only reachable if randomInt is broken
}
