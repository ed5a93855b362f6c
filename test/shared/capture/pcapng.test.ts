/**
 * The pcapng codec against draft-ietf-opsawg-pcapng: what it writes reads back, a file
 * written in the other byte order reads the same, unknown blocks are skipped (§3.1), and
 * malformed files are refused with the offset of the fault, never misread.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK, keyLogLines, LINKTYPE_ETHERNET, PcapngError, readPcapng, SECRETS_TLS_KEY_LOG, tlsKeyLogSecrets, writePcapng } from '../../../shared/src/capture/pcapng.ts';
import { flipped } from '../../support/flip.ts';

const frameArb = fc.record({
  timestamp: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  data: fc.uint8Array({ maxLength: 120 }),
  comment: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
});

function u32le(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}

describe('pcapng (draft-ietf-opsawg-pcapng)', () => {
  it('round-trips frames, comments and a TLS key log (§4.3, §4.7)', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 8 }), fc.array(fc.stringMatching(/^[A-Z_]{5,20} [0-9a-f]{8}$/), { maxLength: 4 }), (frames, lines) => {
        const bytes = writePcapng({
          application: 'test',
          interface: { linkType: LINKTYPE_ETHERNET, name: 'wifi' },
          secrets: lines.length ? [tlsKeyLogSecrets(lines)] : [],
          frames: frames.map((f) => ({ ...f, originalLength: f.data.length })),
        });
        expect(bytes.length % 4).toBe(0);
        const file = readPcapng(bytes);
        expect(file.application).toBe('test');
        expect(file.interfaces).toEqual([{ linkType: 1, snapLength: 0, name: 'wifi', unitsPerSecond: 1_000_000n }]);
        expect(keyLogLines(file)).toEqual(lines);
        expect(file.frames.map((f) => ({ timestamp: f.timestamp, data: f.data, comment: f.comment }))).toEqual(frames.map((f) => ({ timestamp: f.timestamp, data: f.data, comment: f.comment || undefined })));
      }),
      { seed: 10, numRuns: 200 },
    );
  });

  it('lays out the blocks as the draft says: SHB magic, IDB link type, DSB "TLSK", EPB lengths', () => {
    const bytes = writePcapng({ interface: { linkType: LINKTYPE_ETHERNET }, secrets: [tlsKeyLogSecrets(['CLIENT_RANDOM aa bb'])], frames: [{ timestamp: 0x1_0000_0002n, data: new Uint8Array([1, 2, 3]), originalLength: 3 }] });
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(0, true)).toBe(BLOCK.sectionHeader);
    expect([...bytes.subarray(8, 12)]).toEqual([0x4d, 0x3c, 0x2b, 0x1a]); // 0x1A2B3C4D little-endian
    let at = v.getUint32(4, true);
    expect(v.getUint32(at, true)).toBe(BLOCK.interfaceDescription);
    expect(v.getUint16(at + 8, true)).toBe(LINKTYPE_ETHERNET);
    at += v.getUint32(at + 4, true);
    expect(v.getUint32(at, true)).toBe(BLOCK.decryptionSecrets);
    expect(v.getUint32(at + 8, true)).toBe(SECRETS_TLS_KEY_LOG);
    expect(String.fromCharCode(...bytes.subarray(at + 8, at + 12))).toBe('KSLT'); // "TLSK" as a little-endian u32
    at += v.getUint32(at + 4, true);
    expect(v.getUint32(at, true)).toBe(BLOCK.enhancedPacket);
    expect(v.getUint32(at + 12, true)).toBe(1); // timestamp high
    expect(v.getUint32(at + 16, true)).toBe(2); // timestamp low
    expect(v.getUint32(at + 20, true)).toBe(3); // captured length
  });

  it('reads a big-endian section the same (the SHB magic decides, §4.1)', () => {
    const be: number[] = [];
    const u32 = (n: number) => be.push(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    const u16 = (n: number) => be.push(n >>> 8, n & 0xff);
    u32(0x0a0d0d0a); u32(28); u32(0x1a2b3c4d); u16(1); u16(0); u32(0xffffffff); u32(0xffffffff); u32(28);
    u32(1); u32(20); u16(1); u16(0); u32(0); u32(20);
    u32(6); u32(36); u32(0); u32(0); u32(7); u32(2); u32(2); be.push(0xab, 0xcd, 0, 0); u32(36);
    const file = readPcapng(new Uint8Array(be));
    expect(file.interfaces[0]!.linkType).toBe(1);
    expect(file.frames).toEqual([{ interfaceId: 0, timestamp: 7n, data: new Uint8Array([0xab, 0xcd]), originalLength: 2 }]);
  });

  it('skips blocks it does not know (§3.1)', () => {
    const bytes = writePcapng({ interface: { linkType: 1 }, frames: [{ timestamp: 5n, data: new Uint8Array([9]), originalLength: 1 }] });
    const unknown = new Uint8Array([...u32le(0x00000bad), ...u32le(16), 1, 2, 3, 4, ...u32le(16)]);
    const shbLength = new DataView(bytes.buffer).getUint32(4, true);
    const withUnknown = new Uint8Array([...bytes.subarray(0, shbLength), ...unknown, ...bytes.subarray(shbLength)]);
    expect(readPcapng(withUnknown).frames.map((f) => f.timestamp)).toEqual([5n]);
  });

  it('refuses every truncation and a changed trailing length, naming where', () => {
    const bytes = writePcapng({ interface: { linkType: 1 }, secrets: [tlsKeyLogSecrets(['x'])], frames: [{ timestamp: 1n, data: new Uint8Array(10), originalLength: 10, comment: 'c' }] });
    const boundaries = new Set<number>();
    for (let at = 0; at < bytes.length; at += new DataView(bytes.buffer).getUint32(at + 4, true)) boundaries.add(at);
    expect(boundaries.size).toBe(4); // SHB, IDB, DSB, EPB
    for (let n = 1; n < bytes.length; n++) {
      // A cut at a block boundary is a shorter valid file; anywhere else it is an error.
      if (boundaries.has(n)) expect(() => readPcapng(bytes.subarray(0, n))).not.toThrow();
      else expect(() => readPcapng(bytes.subarray(0, n))).toThrow(PcapngError);
    }
    expect(() => readPcapng(flipped(bytes, -4, 4))).toThrow(/block lengths at its start and end differ/);
    expect(() => readPcapng(new Uint8Array(bytes.subarray(28)))).toThrow(/must start with a Section Header Block/);
  });

  it('refuses a packet on an interface no block described, and data longer than its block', () => {
    const bytes = writePcapng({ interface: { linkType: 1 }, frames: [{ timestamp: 1n, data: new Uint8Array(4), originalLength: 4 }] });
    const v = new DataView(bytes.buffer);
    const epb = bytes.length - 36;
    expect(v.getUint32(epb, true)).toBe(BLOCK.enhancedPacket);
    const otherInterface = bytes.slice();
    new DataView(otherInterface.buffer).setUint32(epb + 8, 3, true);
    expect(() => readPcapng(otherInterface)).toThrow(/interface 3/);
    const tooLong = bytes.slice();
    new DataView(tooLong.buffer).setUint32(epb + 20, 400, true);
    expect(() => readPcapng(tooLong)).toThrow(PcapngError);
  });
});
