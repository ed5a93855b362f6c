/**
 * A copy of `bytes` with the bits of `mask` flipped in the byte at `at` (negative: from the
 * end), for tests that tamper with one byte and expect it caught. A position outside the bytes
 * is the test's mistake, and throws: a flip that changed nothing would let the test pass.
 */
export function flipped(bytes: Uint8Array, at: number, mask = 0x01): Uint8Array {
  const copy = bytes.slice();
  const i = at < 0 ? copy.length + at : at;
  const byte = copy[i];
  if (byte === undefined) throw new RangeError(`no byte ${at} in ${copy.length}`);
  copy[i] = byte ^ mask;
  return copy;
}
