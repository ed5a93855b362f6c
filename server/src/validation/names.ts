/** Nicknames and codes, as players type them. */
import { LIMITS } from '@heist/shared';

export type NicknameCheck = { ok: true; nickname: string } | { ok: false; reason: string };

/** Trim and NFC-normalise, then check length and characters. Duplicates are the caller's check. */
export function checkNickname(raw: unknown): NicknameCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'A nickname is required.' };
  const nickname = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  const length = [...nickname].length;
  if (length < LIMITS.nicknameMin || length > LIMITS.nicknameMax)
    return { ok: false, reason: `A nickname has ${LIMITS.nicknameMin} to ${LIMITS.nicknameMax} characters.` };
  if (!LIMITS.nicknamePattern.test(nickname))
    return { ok: false, reason: 'A nickname may use letters, digits, spaces, dashes and underscores.' };
  return { ok: true, nickname };
}

/** Two nicknames clash if they differ only in case. */
export function sameNickname(a: string, b: string): boolean {
  return a.toLocaleLowerCase() === b.toLocaleLowerCase();
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
