/**
 * pcapng, the capture file format Wireshark writes and reads (draft-ietf-opsawg-pcapng, "PCAP
 * Now Generic"): a Section Header Block, one Interface Description Block, an optional
 * Decryption Secrets Block holding a TLS key log, and one Enhanced Packet Block per frame.
 * The format is a handful of length-prefixed blocks, so this is our own small codec rather
 * than a dependency: the npm pcap libraries are Node-only (native libpcap bindings) or read
 * legacy pcap only, and none writes a DSB.
 *
 * Writing: little-endian (a writer picks its byte order, §4.1; readers follow the SHB's
 * byte-order magic). Reading: both byte orders, strict about lengths and alignment, unknown
 * block types skipped as §3.1 asks. Pure: bytes in, bytes out.
 */
import { concat, utf8, fromUtf8 } from '../codec/bytes.ts';

/** §3.1 and §4: the block types this codec knows. */
export const BLOCK = {
  sectionHeader: 0x0a0d0d0a,
  interfaceDescription: 0x00000001,
  enhancedPacket: 0x00000006,
  decryptionSecrets: 0x0000000a,
} as const;

/** §4.1: written as 0x1A2B3C4D in the writer's byte order; its bytes tell a reader that order. */
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** §4.7: the secrets type of a DSB holding an NSS key log ("TLSK"). */
export const SECRETS_TLS_KEY_LOG = 0x544c534b;
/** The link-layer header type of IEEE 802.3 Ethernet (LINKTYPE_ETHERNET, draft-ietf-opsawg-pcaplinktype). */
export const LINKTYPE_ETHERNET = 1;

/** §3.5 option codes used here. */
const OPT = { endOfOpt: 0, comment: 1, shbUserAppl: 4, ifName: 2, ifTsresol: 9 } as const;

export class PcapngError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

export interface CaptureInterface {
  linkType: number;
  /** 0: no limit (§4.2). */
  snapLength: number;
  name?: string;
  /** Units per second of this interface's timestamps (if_tsresol; 10^6 when absent). */
  unitsPerSecond: bigint;
}

export interface CapturedFrame {
  interfaceId: number;
  /** In the interface's units since 1970-01-01 00:00:00 UTC. */
  timestamp: bigint;
  data: Uint8Array;
  originalLength: number;
  comment?: string;
}

export interface DecryptionSecrets {
  type: number;
  data: Uint8Array;
}

export interface PcapngFile {
  application?: string;
  interfaces: CaptureInterface[];
  secrets: DecryptionSecrets[];
  frames: CapturedFrame[];
}

// ---------------------------------------------------------------------------------------------
// Writing

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** §3.5: code (2), length (2), value padded to 32 bits. */
function option(code: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + value.length + pad4(value.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, value.length, true);
  out.set(value, 4);
  return out;
}

function options(list: [number, Uint8Array][]): Uint8Array {
  if (list.length === 0) return new Uint8Array(0);
  return join([...list.map(([code, value]) => option(code, value)), option(OPT.endOfOpt, new Uint8Array(0))]);
}

const join = (parts: Uint8Array[]): Uint8Array => concat(...parts);

/** §3.1: type, total length, body, total length again (so a reader can walk backwards). */
function block(type: number, body: Uint8Array): Uint8Array {
  if (body.length % 4 !== 0) throw new Error('a pcapng block body must be a multiple of 4 bytes');
  const total = 12 + body.length;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  out.set(body, 8);
  v.setUint32(total - 4, total, true);
  return out;
}

function fields(size: number, fill: (v: DataView) => void): Uint8Array {
  const out = new Uint8Array(size);
  fill(new DataView(out.buffer));
  return out;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + pad4(data.length));
  out.set(data);
  return out;
}

/** §4.1 Section Header Block, version 1.0, section length unknown (-1). */
function sectionHeader(application?: string): Uint8Array {
  const head = fields(16, (v) => {
    v.setUint32(0, BYTE_ORDER_MAGIC, true);
    v.setUint16(4, 1, true);
    v.setUint16(6, 0, true);
    v.setBigInt64(8, -1n, true);
  });
  return block(BLOCK.sectionHeader, join([head, options(application ? [[OPT.shbUserAppl, utf8(application)]] : [])]));
}

/** §4.2 Interface Description Block. */
function interfaceDescription(i: Omit<CaptureInterface, 'unitsPerSecond'>): Uint8Array {
  const head = fields(8, (v) => {
    v.setUint16(0, i.linkType, true);
    v.setUint32(4, i.snapLength, true);
  });
  // if_tsresol 6: microseconds, the default, written out so the file says so.
  return block(BLOCK.interfaceDescription, join([head, options([...(i.name ? [[OPT.ifName, utf8(i.name)] as [number, Uint8Array]] : []), [OPT.ifTsresol, new Uint8Array([6])]])]));
}

/** §4.7 Decryption Secrets Block. */
function decryptionSecrets(s: DecryptionSecrets): Uint8Array {
  const head = fields(8, (v) => {
    v.setUint32(0, s.type, true);
    v.setUint32(4, s.data.length, true);
  });
  return block(BLOCK.decryptionSecrets, join([head, padded(s.data)]));
}

/** §4.3 Enhanced Packet Block. */
function enhancedPacket(f: CapturedFrame): Uint8Array {
  const head = fields(20, (v) => {
    v.setUint32(0, f.interfaceId, true);
    v.setUint32(4, Number((f.timestamp >> 32n) & 0xffffffffn), true);
    v.setUint32(8, Number(f.timestamp & 0xffffffffn), true);
    v.setUint32(12, f.data.length, true);
    v.setUint32(16, f.originalLength, true);
  });
  return block(BLOCK.enhancedPacket, join([head, padded(f.data), options(f.comment ? [[OPT.comment, utf8(f.comment)]] : [])]));
}

export interface PcapngInput {
  application?: string;
  /** One interface; its timestamps in microseconds. */
  interface: { linkType: number; snapLength?: number; name?: string };
  /** Placed before every packet, as Wireshark needs them to decrypt from the first record on. */
  secrets?: DecryptionSecrets[];
  frames: Omit<CapturedFrame, 'interfaceId'>[];
}

export function writePcapng(input: PcapngInput): Uint8Array {
  return join([
    sectionHeader(input.application),
    interfaceDescription({ linkType: input.interface.linkType, snapLength: input.interface.snapLength ?? 0, name: input.interface.name }),
    ...(input.secrets ?? []).map(decryptionSecrets),
    ...input.frames.map((f) => enhancedPacket({ ...f, interfaceId: 0 })),
  ]);
}

/** The NSS key log lines as a DSB carries them: one line each, LF-terminated. */
export function tlsKeyLogSecrets(lines: readonly string[]): DecryptionSecrets {
  return { type: SECRETS_TLS_KEY_LOG, data: utf8(lines.map((l) => `${l}\n`).join('')) };
}

// ---------------------------------------------------------------------------------------------
// Reading

interface Cursor {
  bytes: Uint8Array;
  view: DataView;
  little: boolean;
}

function u16(c: Cursor, at: number): number {
  return c.view.getUint16(at, c.little);
}

function u32(c: Cursor, at: number): number {
  return c.view.getUint32(at, c.little);
}

/** §3.5: options from `at` to `end`, each within bounds. */
function readOptions(c: Cursor, at: number, end: number): Map<number, Uint8Array[]> {
  const found = new Map<number, Uint8Array[]>();
  while (at + 4 <= end) {
    const code = u16(c, at);
    const length = u16(c, at + 2);
    if (code === OPT.endOfOpt) break;
    const valueEnd = at + 4 + length;
    if (valueEnd > end) throw new PcapngError('an option runs past its block', at);
    const list = found.get(code) ?? [];
    list.push(c.bytes.slice(at + 4, valueEnd));
    found.set(code, list);
    at = valueEnd + pad4(length);
  }
  return found;
}

function text(value: Uint8Array | undefined, at: number): string | undefined {
  if (!value) return undefined;
  try {
    return fromUtf8(value);
  } catch {
    throw new PcapngError('an option is not UTF-8', at);
  }
}

/** §4.2 if_tsresol: the high bit says a power of two, otherwise a power of ten. */
function unitsPerSecond(tsresol: Uint8Array | undefined, at: number): bigint {
  if (!tsresol) return 1_000_000n;
  const v = tsresol[0]!;
  const exponent = BigInt(v & 0x7f);
  if (exponent > 30n) throw new PcapngError('if_tsresol is finer than this reader handles', at);
  return v & 0x80 ? 1n << exponent : 10n ** exponent;
}

/** Reads every section of a pcapng file; throws PcapngError on malformed input. */
export function readPcapng(bytes: Uint8Array): PcapngFile {
  const file: PcapngFile = { interfaces: [], secrets: [], frames: [] };
  const cursor: Cursor = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), little: true };
  let at = 0;
  let sawSection = false;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new PcapngError('truncated block header', at);
    const type = cursor.view.getUint32(at, true);
    if (type === BLOCK.sectionHeader) {
      if (at + 28 > bytes.length) throw new PcapngError('truncated Section Header Block', at);
      const magic = cursor.view.getUint32(at + 8, true);
      if (magic === BYTE_ORDER_MAGIC) cursor.little = true;
      else if (magic === 0x4d3c2b1a) cursor.little = false;
      else throw new PcapngError('bad byte-order magic', at + 8);
      if (u16(cursor, at + 12) !== 1) throw new PcapngError(`unsupported major version ${u16(cursor, at + 12)}`, at + 12);
      sawSection = true;
      file.interfaces = []; // interface ids count from 0 in each section (§4.2)
    } else if (!sawSection) {
      throw new PcapngError('not a pcapng file: it must start with a Section Header Block', at);
    }
    const total = u32(cursor, at + 4);
    if (total < 12 || total % 4 !== 0) throw new PcapngError(`block length ${total} is not a multiple of 4 of at least 12`, at + 4);
    if (at + total > bytes.length) throw new PcapngError('block runs past the end of the file', at);
    if (u32(cursor, at + total - 4) !== total) throw new PcapngError('block lengths at its start and end differ', at + total - 4);
    const body = at + 8;
    const end = at + total - 4;
    readBlock(cursor, u32(cursor, at), body, end, file);
    at += total;
  }
  if (!sawSection) throw new PcapngError('empty file', 0);
  return file;
}

function need(c: Cursor, body: number, end: number, size: number, what: string): void {
  if (body + size > end) throw new PcapngError(`truncated ${what}`, body);
}

function readBlock(c: Cursor, type: number, body: number, end: number, file: PcapngFile): void {
  switch (type) {
    case BLOCK.sectionHeader: {
      need(c, body, end, 16, 'Section Header Block');
      const app = text(readOptions(c, body + 16, end).get(OPT.shbUserAppl)?.[0], body);
      if (app !== undefined) file.application = app;
      return;
    }
    case BLOCK.interfaceDescription: {
      need(c, body, end, 8, 'Interface Description Block');
      const opts = readOptions(c, body + 8, end);
      const name = text(opts.get(OPT.ifName)?.[0], body);
      file.interfaces.push({ linkType: u16(c, body), snapLength: u32(c, body + 4), unitsPerSecond: unitsPerSecond(opts.get(OPT.ifTsresol)?.[0], body), ...(name !== undefined ? { name } : {}) });
      return;
    }
    case BLOCK.decryptionSecrets: {
      need(c, body, end, 8, 'Decryption Secrets Block');
      const length = u32(c, body + 4);
      if (body + 8 + length > end) throw new PcapngError('secrets run past their block', body + 4);
      file.secrets.push({ type: u32(c, body), data: c.bytes.slice(body + 8, body + 8 + length) });
      return;
    }
    case BLOCK.enhancedPacket: {
      need(c, body, end, 20, 'Enhanced Packet Block');
      const interfaceId = u32(c, body);
      const captured = u32(c, body + 12);
      const original = u32(c, body + 16);
      if (interfaceId >= file.interfaces.length) throw new PcapngError(`packet on interface ${interfaceId}, which no block described`, body);
      const dataEnd = body + 20 + captured;
      if (dataEnd > end) throw new PcapngError('packet data runs past its block', body + 12);
      if (captured > original) throw new PcapngError('captured length exceeds the original length', body + 12);
      const comment = text(readOptions(c, dataEnd + pad4(captured), end).get(OPT.comment)?.[0], body);
      const timestamp = (BigInt(u32(c, body + 4)) << 32n) | BigInt(u32(c, body + 8));
      file.frames.push({ interfaceId, timestamp, data: c.bytes.slice(body + 20, dataEnd), originalLength: original, ...(comment !== undefined ? { comment } : {}) });
      return;
    }
    default:
      return; // §3.1: a reader skips blocks it does not know
  }
}

/** The TLS key log lines in a file's DSBs. */
export function keyLogLines(file: PcapngFile): string[] {
  return file.secrets
    .filter((s) => s.type === SECRETS_TLS_KEY_LOG)
    .flatMap((s) => fromUtf8(s.data).split('\n'))
    .filter((l) => l !== '');
}
