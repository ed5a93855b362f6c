/**
 * Every message's bytes, and the packet inspector's view of them. One entry point dispatches on
 * the kind of message:
 *   - TLS messages travel as TLS records (messages/tls.ts: RFC 5246 / RFC 8446, byte for byte);
 *   - HTTP travels as HTTP/1.1 text (messages/http.ts);
 *   - the game's own messages (levels 2-3 keys, the CA's channel) in the game's frame:
 *       uint8 type (0xE0 and up); uint24 length; opaque body[length];
 * The first byte tells them apart: TLS content types are 20-23, HTTP text starts with a capital
 * letter, the game's frames with 0xE0 or more.
 *
 * One code path decodes and records the field tree (see `Reader.field`), so what the
 * inspector shows is exactly what the receiver decoded. Decoding is strict: truncated or
 * trailing bytes, unknown types, wrong fixed lengths and invalid UTF-8 are `CodecError`s.
 */
import { fromHex, toHex } from '../codec/bytes.ts';
import { assertNever } from '../basics/assert-never.ts';
import { CodecError, Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { encodeCertificate } from '../pki/certificate.ts';
import { describeCertificate, readCertificate } from '../pki/certificate-fields.ts';
import { encodeCsr, readCsr } from '../pki/csr.ts';
import { ALERTS, CIPHER_SUITES, GAME_FRAMES, KEY_TYPES, KEY_USAGES, hexCode, type CodeTable, type GameFrameType } from './codes.ts';
import { encodeHttp, looksLikeHttp, readHttp } from './http.ts';
import { CONTENT_TYPES, alertLevel, encodeHandshake, isHandshakeType, isTlsType, readHandshake, readRecord, writeRecord, type HandshakeMessage, type TlsReadOptions } from './tls.ts';
import type { FieldNode, Message, MessageOf } from './types.ts';

export { RANDOM_LENGTH, VERIFY_DATA_LENGTHS } from './tls.ts';
export const KEY_LENGTH = 32; // X25519 public keys (RFC 7748) and the AES-256 key
export const GCM_NONCE_LENGTH = 12; // NIST SP 800-38D
/** A game frame's header: type (1) + length (3). */
export const HEADER_LENGTH = 4;

/** A structure behind a `lengthBytes` length, read whole: nothing may trail inside its length. */
function readWhole<T>(r: Reader, lengthBytes: 1 | 2 | 3, read: (inner: Reader) => T): T {
  const inner = r.sub(lengthBytes);
  const value = read(inner);
  inner.expectEnd();
  return value;
}

const GAME_EXPLAIN = {
  KeyTransport: { key: 'The AES-256 key itself, in the clear: whoever sees this packet can decrypt everything sent with it' },
  ServerPublicKey: { publicKey: "An X25519 public key said to be the server's, but nothing here proves whose it really is" },
  SealedKey: {
    ephemeralPublicKey: "A one-time X25519 public key; combined with the server's key it makes the key that seals the secret",
    nonce: '12-byte AES-GCM nonce for the seal: public, but never reused with the same key',
    sealedSecret: "The session key, encrypted with AES-GCM plus a 16-byte tag; only the holder of the server's private key can open it",
  },
  CertificateRequest: {
    csr: 'A certificate signing request (PKCS #10, DER): the name and the public key to certify, signed by the requester. The CA answers with a challenge token the requester must publish under that name',
  },
  CertificateIssued: {
    certificate: "The new certificate (X.509, DER): the CA's signature binds the names to the public key (signed, not encrypted: anyone can read it)",
    chain: "The CA certificates between it and a root the browsers trust, as ACME returns them (RFC 8555 §7.4.2): none when the root signed it; the intermediate's when an intermediate did. The server must send them after its own",
    link: 'A CA certificate of the chain (X.509, DER): the issuer of the one before it',
  },
  CertificateRefused: { subject: 'The name the CA refused to certify', reason: 'Why the CA refused' },
} as const;

const TYPE_EXPLAIN = "Frame type (1 byte, the game's own: 0xE0 and up, where no TLS record starts)";
const LENGTH_EXPLAIN = 'Length (3 bytes): how many bytes of message follow';

type GameMessage = MessageOf<GameFrameType>;

function isGame(m: Message): m is GameMessage {
  return GAME_FRAMES.has(m.type);
}

// ---------------------------------------------------------------------------------------------
// Encoding

function writeGameBody(w: Writer, m: GameMessage): void {
  switch (m.type) {
    case 'KeyTransport': // opaque key[32];
      w.bytes(m.key, KEY_LENGTH, 'key');
      return;
    case 'ServerPublicKey': // opaque public_key[32];
      w.bytes(m.publicKey, KEY_LENGTH, 'publicKey');
      return;
    case 'SealedKey': // opaque ephemeral_public_key[32]; opaque nonce[12]; opaque sealed_secret<0..2^16-1>;
      w.bytes(m.ephemeralPublicKey, KEY_LENGTH, 'ephemeralPublicKey').bytes(m.nonce, GCM_NONCE_LENGTH, 'nonce');
      w.vector(2, m.sealedSecret, 'sealedSecret');
      return;
    case 'CertificateIssued': // opaque certificate<1..2^24-1>; (DER)  opaque chain<0..2^24-1> of opaque ca_certificate<1..2^24-1>;
      w.sub(3, (s) => s.bytes(encodeCertificate(m.certificate)), 'certificate');
      w.sub(3, (list) => m.chain.forEach((c, i) => list.sub(3, (s) => s.bytes(encodeCertificate(c)), `chain.${i}`)), 'chain');
      return;
    case 'CertificateRequest': // opaque csr<1..2^16-1>; (DER)
      w.sub(2, (s) => s.bytes(encodeCsr(m.csr)), 'csr');
      return;
    case 'CertificateRefused': // opaque subject<0..255>; opaque reason<0..2^16-1>;
      w.text(1, m.subject, 'subject').text(2, m.reason, 'reason');
      return;
    default:
      return assertNever(m);
  }
}

/** The canonical bytes of a message. Throws `CodecError` ('badValue') for a value that has none. */
export function encodeMessage(m: Message): Uint8Array {
  if (m.type === 'HttpRequest' || m.type === 'HttpResponse') return encodeHttp(m);
  const w = new Writer();
  if (isTlsType(m.type)) {
    writeRecord(w, m as MessageOf<typeof m.type>);
    return w.finish();
  }
  if (!isGame(m)) throw new CodecError('unknownType', `unknown message type "${String(m.type)}"`, 0);
  w.u8(GAME_FRAMES.code(m.type));
  w.sub(3, (body) => writeGameBody(body, m), m.type);
  return w.finish();
}

/** What an encrypted record carries inside: HTTP text, or a handshake message with its header. */
export function encodeInner(m: Message): Uint8Array {
  if (isHandshakeType(m.type)) return encodeHandshake(m as HandshakeMessage);
  if (m.type === 'Alert') return new Uint8Array([alertLevel(m.description), ALERTS.code(m.description)]);
  return encodeMessage(m);
}

export { encodeHandshake };

// ---------------------------------------------------------------------------------------------
// Decoding (and recording the field tree)

function fixedField(r: Reader, key: string, explain: string, n: number): Uint8Array {
  return r.field(key, explain, () => r.bytes(n));
}

function readGameBody(r: Reader, type: GameFrameType): GameMessage {
  const E = GAME_EXPLAIN;
  switch (type) {
    case 'KeyTransport':
      return { type, key: fixedField(r, 'key', E.KeyTransport.key, KEY_LENGTH) };
    case 'ServerPublicKey':
      return { type, publicKey: fixedField(r, 'publicKey', E.ServerPublicKey.publicKey, KEY_LENGTH) };
    case 'SealedKey': {
      const e = E.SealedKey;
      const ephemeralPublicKey = fixedField(r, 'ephemeralPublicKey', e.ephemeralPublicKey, KEY_LENGTH);
      const nonce = fixedField(r, 'nonce', e.nonce, GCM_NONCE_LENGTH);
      const sealedSecret = r.field('sealedSecret', e.sealedSecret, () => r.vector(2));
      return { type, ephemeralPublicKey, nonce, sealedSecret };
    }
    case 'CertificateIssued': {
      const certificate = r.field('certificate', E.CertificateIssued.certificate, () => readWhole(r, 3, readCertificate), { show: describeCertificate });
      const chain = r.field('chain', E.CertificateIssued.chain, () =>
        readWhole(r, 3, (list) => {
          const certs = [];
          for (let i = 0; list.remaining > 0; i++) certs.push(list.field(String(i), E.CertificateIssued.link, () => readWhole(list, 3, readCertificate), { show: describeCertificate, name: `chain.${i}` }));
          return certs;
        }),
        { show: (certs) => (certs.length === 0 ? 'none: the root signed it' : certs.map(describeCertificate).join('; ')) },
      );
      return { type, certificate, chain };
    }
    case 'CertificateRequest': {
      const csr = r.field('csr', E.CertificateRequest.csr, () => readWhole(r, 2, readCsr), { show: (csr) => `request for ${csr.subject}` });
      return { type, csr };
    }
    case 'CertificateRefused': {
      const subject = r.field('subject', E.CertificateRefused.subject, () => r.text(1));
      const reason = r.field('reason', E.CertificateRefused.reason, () => r.text(2));
      return { type, subject, reason };
    }
    default:
      return assertNever(type);
  }
}

function readGameFrame(r: Reader): Message {
  const typeAt = r.offset;
  const type = r.field(
    'type',
    TYPE_EXPLAIN,
    () => {
      const code = r.u8();
      const name = GAME_FRAMES.name(code);
      if (name === undefined) throw new CodecError('unknownType', `unknown message type ${hexCode(code, 1)} at offset ${typeAt}: not a TLS record, not HTTP, not one of the game's frames`, typeAt);
      return name;
    },
    { show: (name) => `${name} (${hexCode(GAME_FRAMES.code(name), 1)})`, explainValue: (name) => `${TYPE_EXPLAIN}. ${GAME_FRAMES.explain(name)}` },
  );
  const length = r.field('length', LENGTH_EXPLAIN, () => r.u24());
  if (length > r.remaining) {
    // Read what did arrive, so the inspector shows the fields up to the cut; then refuse.
    const lengthAt = r.offset - 3;
    readGameBody(r.window(r.remaining), type);
    throw new CodecError('truncated', `truncated: length says ${length} bytes follow, only ${r.remaining} do`, lengthAt);
  }
  const body = r.window(length);
  const message = readGameBody(body, type);
  body.expectEnd();
  return message;
}

/** The first byte says which: a TLS record (content types 20-23), HTTP text (a capital letter), or a game frame. */
function readAny(r: Reader, options: TlsReadOptions): Message {
  const first = r.peekByte();
  if (first === undefined) throw new CodecError('truncated', 'truncated: no bytes', 0);
  let message: Message;
  if (first >= 20 && first <= 23) message = readRecord(r, options);
  else if (looksLikeHttp(new Uint8Array([first]))) message = readHttp(r);
  else message = readGameFrame(r);
  r.expectEnd();
  return message;
}

/** Which of the three framings these bytes start with (as `readAny` dispatches), or undefined for none. */
export function wireKind(bytes: Uint8Array): 'tls' | 'http' | 'game' | undefined {
  const first = bytes[0];
  if (first === undefined) return undefined;
  if (first >= 20 && first <= 23) return 'tls';
  if (looksLikeHttp(bytes)) return 'http';
  return first >= 0xe0 ? 'game' : undefined;
}

/** Decodes one message. Throws `CodecError` on anything but canonical bytes. */
export function decodeMessage(bytes: Uint8Array, options: TlsReadOptions = {}): Message {
  return readAny(Reader.over(bytes), options);
}

/** The message these bytes hold, or undefined when they hold none (a party must not crash on forged bytes). */
export function tryDecodeMessage(bytes: Uint8Array, options: TlsReadOptions = {}): Message | undefined {
  try {
    return decodeMessage(bytes, options);
  } catch {
    return undefined;
  }
}

/** Every handshake message in a decrypted handshake fragment (TLS lets one record carry several). Throws `CodecError`. */
export function decodeHandshakes(bytes: Uint8Array, options: TlsReadOptions = {}): HandshakeMessage[] {
  const r = Reader.over(bytes);
  const out: HandshakeMessage[] = [];
  while (r.remaining > 0) out.push(readHandshake(r, options));
  if (out.length === 0) throw new CodecError('truncated', 'an empty handshake fragment', 0);
  return out;
}

export interface Inspection {
  message?: Message;
  fields: FieldNode[];
  error?: string;
  /** Where decoding failed, when it did. */
  errorOffset?: number;
}

/** The packet inspector's view. Never throws: malformed bytes give the fields read so far and the error. */
export function inspectMessage(bytes: Uint8Array, options: TlsReadOptions = {}): Inspection {
  const r = Reader.over(bytes, { record: true });
  try {
    const message = readAny(r, options);
    return { message, fields: r.fields };
  } catch (e) {
    if (e instanceof CodecError) return { fields: r.fields, error: e.message, errorOffset: e.offset };
    return { fields: r.fields, error: `could not decode: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The field tree of a well-formed message (e.g. for a view that already holds the value). */
export function messageFields(m: Message): FieldNode[] {
  return inspectMessage(encodeMessage(m), { tls13: m.type === 'Certificate' && m.context !== undefined }).fields;
}

/** The field tree of what a decrypted record held, over the bytes it really held (a handshake message has no record header there). */
export function innerFields(m: Message): FieldNode[] {
  if (!isHandshakeType(m.type)) return messageFields(m);
  const r = Reader.over(encodeHandshake(m as HandshakeMessage), { record: true });
  try {
    readHandshake(r, { tls13: m.type === 'Certificate' && m.context !== undefined });
  } catch {
    // a message the game made always decodes; keep what was read
  }
  return r.fields;
}

export { isHandshakeType, isTlsType };

// ---------------------------------------------------------------------------------------------
// The attacker's "edit a field"

/** Header fields the codec writes itself: an edit of the raw bytes changes them. */
const FIXED: Readonly<Record<string, string>> = {
  type: 'is fixed by the kind of message; change the raw bytes to send a different type',
  length: 'is computed from the fields; change the raw bytes to send a wrong length',
  recordLength: 'is computed from the fields; change the raw bytes to send a wrong length',
  handshakeLength: 'is computed from the fields; change the raw bytes to send a wrong length',
  handshakeType: 'is fixed by the kind of message; change the raw bytes to send a different type',
  contentType: 'is fixed by the kind of message; change the raw bytes to send a different type',
  recordVersion: 'is always 0x0303 on the game’s wire; change the raw bytes to send another',
  legacyVersion: 'is always 0x0303 (TLS 1.2), also in TLS 1.3; change the raw bytes to send another',
  compressionMethods: 'is always null (0); change the raw bytes to send another',
  compressionMethod: 'is always null (0); change the raw bytes to send another',
  extensionType: 'names the extension; change the raw bytes to send another',
};

/** Fields whose text is one of a fixed set of names. */
const ENUM_FIELDS: Record<string, CodeTable<string>> = {
  keyType: KEY_TYPES,
  keyUsage: KEY_USAGES,
  description: ALERTS,
  contentType: CONTENT_TYPES,
};
/** Number fields that hold cipher suites: they also accept a suite's name. */
const CIPHER_SUITE_FIELDS = new Set(['cipherSuite', 'cipherSuites']);

/** A certificate serial (up to 20 bytes): decimal, 0x-hex, or hex bytes with colons as `openssl x509` shows it. */
function parseSerial(text: string, path: string): bigint {
  const t = text.trim();
  const hex = /^0x([0-9a-f]+)$/i.exec(t)?.[1] ?? (/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(t) ? t.replace(/:/g, '') : undefined);
  if (hex !== undefined) return BigInt(`0x${hex}`);
  if (/^\d+$/.test(t)) return BigInt(t);
  throw new Error(`${path}: "${text}" is not a whole number`);
}

function parseNumber(text: string, asCipherSuite: boolean, path: string): number {
  let t = text.trim();
  // "TLS_AES_128_GCM_SHA256 (0x1301)", "x25519 (0x001d)", "TLS 1.3 (0x0304)": a code point as the inspector shows it.
  const shown = /^[\w.\- ]+\((0x[0-9a-f]+)\)$/i.exec(t);
  if (shown) t = shown[1]!;
  else if (asCipherSuite && CIPHER_SUITES.has(t)) return CIPHER_SUITES.code(t);
  t = t.replace(/\s*\([^()]*\)$/, ''); // "1799913609 (2027-01-14 08:00 UTC)", as the inspector shows a date
  if (/^\d+$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  const hint = asCipherSuite ? `a cipher suite name, or a number such as 4865 or 0x1301` : 'a whole number such as 42';
  throw new Error(`${path}: "${text}" is not ${hint}`);
}

function parseBytes(text: string, path: string): Uint8Array {
  const t = text.trim();
  if (t === '' || t === '(empty)') return new Uint8Array(0);
  try {
    return fromHex(t.replace(/^0x/i, '').replace(/[:\s]/g, ''));
  } catch {
    throw new Error(`${path}: "${text}" is not hex bytes (two hex digits per byte, e.g. 0a1b2c)`);
  }
}

function parseLike(current: unknown, key: string, text: string, path: string): unknown {
  if (current instanceof Uint8Array) return parseBytes(text, path);
  if (typeof current === 'string') {
    const table = ENUM_FIELDS[key];
    const name = text.trim().replace(/\s*\([^()]*\)$/, ''); // "rsa (rsaEncryption)", as the inspector shows it
    if (table && !table.has(name)) throw new Error(`${path}: "${text}" is not one of ${table.names.join(', ')}`);
    return table ? name : text;
  }
  if (typeof current === 'number') return parseNumber(text, CIPHER_SUITE_FIELDS.has(key), path);
  if (typeof current === 'bigint') return parseSerial(text, path);
  if (typeof current === 'boolean') {
    const t = text.trim().toLowerCase().replace(/^ca\s+/, ''); // "cA TRUE", as the inspector shows basicConstraints
    if (t !== 'true' && t !== 'false') throw new Error(`${path}: "${text}" is not true or false`);
    return t === 'true';
  }
  if (Array.isArray(current) && (key === 'names' || (current.length > 0 && current.every((c) => typeof c === 'string')))) {
    return text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  }
  if (Array.isArray(current)) {
    const parts = text.trim() === '' ? [] : text.split(',');
    return parts.map((p) => parseNumber(p, CIPHER_SUITE_FIELDS.has(key), path));
  }
  throw new Error(`${path} is a group of fields; edit one of them, e.g. ${path}.subject`);
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array);
}

/** Lists of records (a CA's chain of certificates): no one line of text sets them; their records' fields are set one by one. */
const RECORD_LISTS = new Set(['chain']);

/** Why `path` is not the sender's to choose (computed or fixed by the format), or undefined when setField may set it. */
function fixedReason(message: Message, path: string): string | undefined {
  const keys = path.split('.');
  if (keys.length === 1 && RECORD_LISTS.has(path)) return 'lists certificates: edit a field of one of them, or change the raw bytes to add or drop one';
  const fixedWhy = FIXED[keys[keys.length - 1]!];
  // A fixed header name that is also a field of the message (an EncryptedRecord's contentType) can be set; the message's type cannot.
  return fixedWhy && !(keys.length === 1 && keys[0] !== 'type' && Object.prototype.hasOwnProperty.call(message, keys[0]!)) ? fixedWhy : undefined;
}

/** The leaves of a field tree that setField can change: what the attacker's "edit a field" offers. */
export function editablePaths(message: Message, fields: readonly FieldNode[]): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly FieldNode[]) => {
    for (const f of nodes) {
      if (f.children?.length) walk(f.children);
      else if (!fixedReason(message, f.path)) out.push(f.path);
    }
  };
  walk(fields);
  return out;
}

/**
 * A copy of `message` with the field at `path` (as in `FieldNode.path`) set from `value`,
 * parsed by the field's kind: text as is; a decimal (or 0x-hex) number; hex for bytes;
 * comma-separated numbers for lists; a name for key types, key usages, alerts, cipher suites.
 * Throws an Error saying what was wrong, including values the message cannot carry
 * (e.g. a 31-byte random): use a raw byte edit to send malformed bytes.
 */
export function setField(message: Message, path: string, value: string): Message {
  const keys = path.split('.');
  const fixedWhy = fixedReason(message, path);
  if (fixedWhy) throw new Error(`${path} ${fixedWhy}`);
  const copy = structuredClone(message) as Message;
  let parent: Container = copy as unknown as Container;
  for (const key of keys.slice(0, -1)) {
    const next: unknown = Object.prototype.hasOwnProperty.call(parent, key) ? (parent as Record<string, unknown>)[key] : undefined;
    if (!isContainer(next)) throw new Error(`${message.type} has no field ${path}`);
    parent = next;
  }
  const last = keys[keys.length - 1]!;
  if (!Object.prototype.hasOwnProperty.call(parent, last) || (Array.isArray(parent) && !/^\d+$/.test(last))) {
    throw new Error(`${message.type} has no field ${path}`);
  }
  const container = parent as Record<string, unknown>;
  // Items of a list are named by index; their kind (and cipher-suite-ness) comes from the list.
  const kindKey = Array.isArray(parent) ? (keys[keys.length - 2] ?? last) : last;
  const current = container[last];
  container[last] = Array.isArray(parent) && typeof current !== 'string' ? parseNumber(value, CIPHER_SUITE_FIELDS.has(kindKey), path) : parseLike(current, kindKey, value, path);
  try {
    encodeMessage(copy);
  } catch (e) {
    throw new Error(`cannot set ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return copy;
}

/** Hex of a message's bytes (the inspector's hex pane). */
export function messageHex(m: Message): string {
  return toHex(encodeMessage(m));
}
