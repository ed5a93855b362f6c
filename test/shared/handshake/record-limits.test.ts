/**
 * RFC 8446 §5.1-5.2 and RFC 5246 §6.2: a record carries at most 2^14 bytes of plaintext. A
 * protected record that opens to more is refused with record_overflow, whatever its tag says.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PLAINTEXT, openRecord, sealRecord, type RecordKeys } from '../../../shared/src/handshake/record.ts';
import { alertFor } from '../../../shared/src/handshake/failures.ts';

const keys = (style: 'tls12' | 'tls13'): RecordKeys => ({ style, key: new Uint8Array(16).fill(7), iv: new Uint8Array(style === 'tls13' ? 12 : 4).fill(3), seq: 0 });

describe.each(['tls12', 'tls13'] as const)('%s records', (style) => {
  it(`open with ${MAX_PLAINTEXT} bytes of plaintext`, () => {
    const opened = openRecord(keys(style), sealRecord(keys(style), new Uint8Array(MAX_PLAINTEXT), 23).record);
    expect(opened.ok && opened.plaintext.length).toBe(MAX_PLAINTEXT);
  });

  it(`refuse ${MAX_PLAINTEXT + 1} bytes of plaintext with record_overflow, though the tag is valid`, () => {
    const opened = openRecord(keys(style), sealRecord(keys(style), new Uint8Array(MAX_PLAINTEXT + 1), 23).record);
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.failure.reason).toBe('recordOverflow');
    expect(alertFor(opened.failure)).toBe('record_overflow');
  });
});
