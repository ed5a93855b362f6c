/** Finding a secret in recorded frames: as raw bytes, hex (either case) or base64. */
import { fromHex, toBase64, toHex, utf8 } from '@heist/shared';

export interface Needle {
  label: string;
  bytes: Uint8Array;
  /** Textual forms must not sit inside a longer run of the same alphabet (short PINs in hex). */
  bounded: boolean;
}

const HEX = /^[0-9a-fA-F]+$/;

export function needlesFor(secret: Uint8Array | string, label: string): Needle[] {
  const raw = typeof secret === 'string' ? (HEX.test(secret) && secret.length % 2 === 0 && secret.length >= 16 ? fromHex(secret) : utf8(secret)) : secret;
  const text = typeof secret === 'string' ? secret : undefined;
  // Long secrets cannot turn up by chance, so they are found anywhere (inside a hex dump too);
  // short ones (a PIN) only as a whole token, or every hex dump would "contain" them.
  const bounded = raw.length < 8;
  const needles: Needle[] = [];
  if (text !== undefined) needles.push({ label: `${label} (text)`, bytes: utf8(text), bounded });
  if (raw.length >= 8) needles.push({ label: `${label} (raw)`, bytes: raw, bounded: false });
  needles.push({ label: `${label} (hex)`, bytes: utf8(toHex(raw)), bounded });
  needles.push({ label: `${label} (HEX)`, bytes: utf8(toHex(raw).toUpperCase()), bounded });
  const b64 = toBase64(raw);
  needles.push({ label: `${label} (base64)`, bytes: utf8(b64.replace(/=+$/, '')), bounded });
  needles.push({ label: `${label} (base64url)`, bytes: utf8(b64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')), bounded });
  // Dedupe (e.g. a text PIN and its own hex are different, but "abcd" hex forms can coincide).
  const seen = new Set<string>();
  return needles.filter((n) => {
    const k = toHex(n.bytes);
    if (seen.has(k)) return false;
    seen.add(k);
    return n.bytes.length >= 4;
  });
}

const isWordByte = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2b || b === 0x2f || b === 0x2d || b === 0x5f);

export function findNeedle(haystack: Uint8Array, needle: Needle): number {
  const n = needle.bytes;
  outer: for (let i = 0; i + n.length <= haystack.length; i++) {
    for (let j = 0; j < n.length; j++) if (haystack[i + j] !== n[j]) continue outer;
    if (needle.bounded && (isWordByte(haystack[i - 1]) || isWordByte(haystack[i + n.length]))) continue;
    return i;
  }
  return -1;
}
