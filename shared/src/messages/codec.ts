/**
 * The canonical binary encoding of every game message, and the packet inspector's view of it.
 * The byte layout is the game's own (TLS-like framing and fields), not RFC 5246/8446 records.
 *
 * Framing, like a TLS handshake header (RFC 8446 §4):
 *   uint8 type;  uint24 length;  opaque body[length];
 * Type numbers live in `codes.ts`. Bodies use RFC 8446 §3 notation in the comments below.
 *
 * One code path decodes and records the field tree (see `Reader.field`), so what the
 * inspector shows is exactly what the receiver decoded. Decoding is strict: truncated or
 * trailing bytes, unknown types, wrong fixed lengths and invalid UTF-8 are `CodecError`s.
 */
import { fromHex, toHex } from '../codec/bytes.ts';
import { CodecError, Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { describeCertificate, encodeCertificate, readCertificate } from '../pki/certificate.ts';
import { encodeCsr, readCsr } from '../pki/csr.ts';
import {
  ALERTS,
  CIPHER_SUITES,
  KEY_TYPES,
  KEY_USAGES,
  MESSAGE_TYPES,
  hexCode,
  readCode,
  showCipherSuite,
  writeCode,
  type CodeTable,
} from './codes.ts';
import type { FieldNode, Message, MessageOf, MessageType } from './types.ts';

export const RANDOM_LENGTH = 32; // RFC 5246 §7.4.1.2, RFC 8446 §4.1.2
export const KEY_LENGTH = 32; // X25519 public keys (RFC 7748) and the AES-256 key
export const GCM_NONCE_LENGTH = 12; // NIST SP 800-38D
export const EXPLICIT_NONCE_LENGTHS = [0, 8] as const; // RFC 8446 §5.3 (implicit) / RFC 5288 §3
export const KEY_SHARE_LENGTHS = [0, 32] as const; // absent before level 5 / X25519 (RFC 8446 §4.2.8.2)
export const VERIFY_DATA_LENGTHS = [12, 32] as const; // RFC 5246 §7.4.9 / RFC 8446 §4.4.4 with SHA-256
/** Frame header: type (1) + length (3). */
export const HEADER_LENGTH = 4;

function assertNever(x: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(x)}`);
}

/** One line per field, written for a student. Keys are field names within each message. */
export const FIELD_EXPLAIN: { [T in MessageType]: Record<Exclude<keyof MessageOf<T>, 'type'>, string> } = {
  HttpRequest: {
    method: 'HTTP method: GET asks for a page, POST sends data such as a login or a transfer',
    host: 'Host: the site this request is for',
    path: 'Path: which page on that site',
    body: 'Body: the data being sent; in plain HTTP anyone on the path can read and change it',
  },
  HttpResponse: {
    status: 'Status code: 200 means OK; 4xx means the request was refused',
    body: "Body: the server's answer; in plain HTTP anyone on the path can read and change it",
  },
  KeyTransport: {
    key: 'The AES-256 key itself, in the clear: whoever sees this packet can decrypt everything sent with it',
  },
  ServerPublicKey: {
    publicKey: "An X25519 public key said to be the server's, but nothing here proves whose it really is",
  },
  ClientHello: {
    random: "32 public random bytes; they make each session's keys unique, but they are not secret",
    cipherSuites: 'Cipher suites the client can use, most preferred first; the server picks one',
    serverName: 'Server name (SNI): the site the client wants to reach; sent in the clear',
    keyShare: "The client's one-time X25519 public key (level 5); empty before level 5. Public: it makes a shared secret only with the other side's private share",
  },
  ServerHello: {
    random: "32 public random bytes from the server; mixed into the session keys, but not secret",
    cipherSuite: "The cipher suite the server picked from the client's list; it must be one the client offered",
    keyShare: "The server's one-time X25519 public key (level 5). With the client's it makes a secret no onlooker can compute; an attacker who swaps the shares gets a secret of her own with each side, and CertificateVerify and Finished expose her",
  },
  Certificate: {
    certificate: "The server's certificate: a CA's signed statement that this public key belongs to this name. Anyone can read it; any change breaks the signature. At level 5 it travels inside an encrypted record: that hides which certificate was sent, but the certificate inside is the same public, signed document",
  },
  SealedKey: {
    ephemeralPublicKey: "A one-time X25519 public key; combined with the server's key it makes the key that seals the secret",
    nonce: '12-byte AES-GCM nonce for the seal: public, but never reused with the same key',
    sealedSecret: "The session key, encrypted with AES-GCM plus a 16-byte tag; only the holder of the server's private key can open it",
  },
  ClientKeyExchange: {
    encryptedPreMaster:
      "The 48-byte pre-master secret (client version 3,3 then 46 random bytes), RSA-encrypted with PKCS #1 v1.5 padding to the key in the server's certificate: only the holder of that private key can decrypt it — and anyone who gets that key later can decrypt this recording",
  },
  CertificateVerify: {
    signature: "ECDSA P-256 signature over the handshake so far, made with the private key of the server's certificate: proof it really holds that key",
  },
  Finished: {
    verifyData: "A MAC over every handshake message so far, keyed from the session's secret: if anyone changed a message, the two sides' values differ",
  },
  EncryptedRecord: {
    explicitNonce: '8-byte explicit part of the AES-GCM nonce, sent in the clear (level 4, as TLS 1.2; levels 2-3 also use it as the game’s own visible sequence number); empty at level 5, where the whole nonce is derived. Real TLS never sends the sequence number: both sides count records, and the count goes into the tag',
    ciphertext: 'Encrypted data plus a 16-byte AEAD tag over it and its place in the sequence: unreadable without the key; a changed, replayed or reordered record fails its tag',
  },
  Alert: {
    description: 'What went wrong, as a TLS alert code (RFC 8446 §6)',
  },
  CertificateRequest: {
    csr: 'A certificate signing request: the name and the public key to certify. The CA answers with a challenge token the requester must publish under that name',
  },
  CertificateIssued: {
    certificate: "The new certificate: the CA's signature binds the subject name to the public key (signed, not encrypted: anyone can read it)",
  },
  CertificateRefused: {
    subject: 'The name the CA refused to certify',
    reason: 'Why the CA refused',
  },
};

const TYPE_EXPLAIN = "Message type (1 byte): tells the receiver how to read the rest. The framing is the game's own, TLS-like: real TLS wraps handshake messages in records";
const LENGTH_EXPLAIN = 'Length (3 bytes): how many bytes of message follow, as in a TLS handshake header';

// ---------------------------------------------------------------------------------------------
// Encoding

function lengthIn(allowed: readonly number[], got: number, what: string, offset: number): void {
  if (!allowed.includes(got)) {
    throw new CodecError('badValue', `${what} must be ${allowed.join(' or ')} bytes, got ${got}`, offset);
  }
}

function writeBody(w: Writer, m: Message): void {
  switch (m.type) {
    case 'HttpRequest': // opaque method<0..255>; opaque host<0..255>; opaque path<0..2^16-1>; opaque body<0..2^16-1>;
      w.text(1, m.method, 'method').text(1, m.host, 'host').text(2, m.path, 'path').text(2, m.body, 'body');
      return;
    case 'HttpResponse': // uint16 status; opaque body<0..2^16-1>;
      w.u16(m.status, 'status').text(2, m.body, 'body');
      return;
    case 'KeyTransport': // opaque key[32];
      w.bytes(m.key, KEY_LENGTH, 'key');
      return;
    case 'ServerPublicKey': // opaque public_key[32];
      w.bytes(m.publicKey, KEY_LENGTH, 'publicKey');
      return;
    case 'ClientHello': // opaque random[32]; uint16 cipher_suites<0..2^16-2>; opaque server_name<0..255>; opaque key_share<0..2^16-1>;
      w.bytes(m.random, RANDOM_LENGTH, 'random');
      w.sub(2, (s) => m.cipherSuites.forEach((cs) => s.u16(cs, 'cipher suite')), 'cipherSuites');
      w.text(1, m.serverName, 'serverName');
      lengthIn(KEY_SHARE_LENGTHS, m.keyShare.length, 'keyShare', w.length);
      w.vector(2, m.keyShare, 'keyShare');
      return;
    case 'ServerHello': // opaque random[32]; uint16 cipher_suite; opaque key_share<0..2^16-1>;
      w.bytes(m.random, RANDOM_LENGTH, 'random').u16(m.cipherSuite, 'cipherSuite');
      lengthIn(KEY_SHARE_LENGTHS, m.keyShare.length, 'keyShare', w.length);
      w.vector(2, m.keyShare, 'keyShare');
      return;
    case 'Certificate': // opaque certificate<1..2^24-1>;
    case 'CertificateIssued':
      w.sub(3, (s) => s.bytes(encodeCertificate(m.certificate)), 'certificate');
      return;
    case 'SealedKey': // opaque ephemeral_public_key[32]; opaque nonce[12]; opaque sealed_secret<0..2^16-1>;
      w.bytes(m.ephemeralPublicKey, KEY_LENGTH, 'ephemeralPublicKey').bytes(m.nonce, GCM_NONCE_LENGTH, 'nonce');
      w.vector(2, m.sealedSecret, 'sealedSecret');
      return;
    case 'ClientKeyExchange': // opaque encrypted_pre_master_secret<0..2^16-1>; (RFC 5246 §7.4.7.1)
      w.vector(2, m.encryptedPreMaster, 'encryptedPreMaster');
      return;
    case 'CertificateVerify': // opaque signature<0..2^16-1>;
      w.vector(2, m.signature, 'signature');
      return;
    case 'Finished': // opaque verify_data<12|32>;
      lengthIn(VERIFY_DATA_LENGTHS, m.verifyData.length, 'verifyData', w.length);
      w.vector(1, m.verifyData, 'verifyData');
      return;
    case 'EncryptedRecord': // opaque explicit_nonce<0|8>; opaque ciphertext<0..2^16-1>;
      lengthIn(EXPLICIT_NONCE_LENGTHS, m.explicitNonce.length, 'explicitNonce', w.length);
      w.vector(1, m.explicitNonce, 'explicitNonce').vector(2, m.ciphertext, 'ciphertext');
      return;
    case 'Alert': // uint8 description;
      writeCode(w, ALERTS, m.description, 1);
      return;
    case 'CertificateRequest': // opaque csr<1..2^16-1>;
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
  if (!MESSAGE_TYPES.has(m.type)) throw new CodecError('unknownType', `unknown message type "${String(m.type)}"`, 0);
  const w = new Writer();
  w.u8(MESSAGE_TYPES.code(m.type));
  w.sub(3, (body) => writeBody(body, m), m.type);
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// Decoding (and recording the field tree)

function fixedField(r: Reader, key: string, explain: string, n: number): Uint8Array {
  return r.field(key, explain, () => r.bytes(n));
}

/** A length-prefixed byte string whose length must be one of `allowed`. */
function allowedVector(r: Reader, key: string, explain: string, lenBytes: 1 | 2, allowed: readonly number[]): Uint8Array {
  return r.field(key, explain, () => {
    const at = r.offset;
    const v = r.vector(lenBytes);
    lengthIn(allowed, v.length, key, at);
    return v;
  });
}

function cipherSuiteList(r: Reader, explain: string): number[] {
  return r.field(
    'cipherSuites',
    explain,
    () => {
      const at = r.offset;
      const list = r.sub(2);
      if (list.remaining % 2 !== 0) throw r.bad(`cipher suite list at offset ${at} has an odd length`, at);
      const suites: number[] = [];
      for (let i = 0; list.remaining > 0; i++) {
        suites.push(list.field(String(i), 'A cipher suite', () => list.u16(), { show: showCipherSuite, explainValue: explainCipherSuite }));
      }
      list.expectEnd();
      return suites;
    },
    { show: (suites) => suites.map(showCipherSuite).join(', ') },
  );
}

function explainCipherSuite(code: number): string {
  const name = CIPHER_SUITES.name(code);
  return name ? CIPHER_SUITES.explain(name) : `${hexCode(code)}: a cipher suite this game does not know; the server ignores it`;
}

function readBody(r: Reader, type: MessageType): Message {
  const E = FIELD_EXPLAIN;
  switch (type) {
    case 'HttpRequest': {
      const e = E.HttpRequest;
      const method = r.field('method', e.method, () => r.text(1));
      const host = r.field('host', e.host, () => r.text(1));
      const path = r.field('path', e.path, () => r.text(2));
      const body = r.field('body', e.body, () => r.text(2));
      return { type, method, host, path, body };
    }
    case 'HttpResponse': {
      const status = r.field('status', E.HttpResponse.status, () => r.u16());
      const body = r.field('body', E.HttpResponse.body, () => r.text(2));
      return { type, status, body };
    }
    case 'KeyTransport':
      return { type, key: fixedField(r, 'key', E.KeyTransport.key, KEY_LENGTH) };
    case 'ServerPublicKey':
      return { type, publicKey: fixedField(r, 'publicKey', E.ServerPublicKey.publicKey, KEY_LENGTH) };
    case 'ClientHello': {
      const e = E.ClientHello;
      const random = fixedField(r, 'random', e.random, RANDOM_LENGTH);
      const cipherSuites = cipherSuiteList(r, e.cipherSuites);
      const serverName = r.field('serverName', e.serverName, () => r.text(1));
      const keyShare = allowedVector(r, 'keyShare', e.keyShare, 2, KEY_SHARE_LENGTHS);
      return { type, random, cipherSuites, serverName, keyShare };
    }
    case 'ServerHello': {
      const e = E.ServerHello;
      const random = fixedField(r, 'random', e.random, RANDOM_LENGTH);
      const cipherSuite = r.field('cipherSuite', e.cipherSuite, () => r.u16(), {
        show: showCipherSuite,
        explainValue: (code) => `${e.cipherSuite}. ${explainCipherSuite(code)}`,
      });
      const keyShare = allowedVector(r, 'keyShare', e.keyShare, 2, KEY_SHARE_LENGTHS);
      return { type, random, cipherSuite, keyShare };
    }
    case 'Certificate':
    case 'CertificateIssued': {
      const certificate = r.field(
        'certificate',
        E[type].certificate,
        () => {
          const inner = r.sub(3);
          const cert = readCertificate(inner);
          inner.expectEnd();
          return cert;
        },
        { show: describeCertificate },
      );
      return { type, certificate };
    }
    case 'SealedKey': {
      const e = E.SealedKey;
      const ephemeralPublicKey = fixedField(r, 'ephemeralPublicKey', e.ephemeralPublicKey, KEY_LENGTH);
      const nonce = fixedField(r, 'nonce', e.nonce, GCM_NONCE_LENGTH);
      const sealedSecret = r.field('sealedSecret', e.sealedSecret, () => r.vector(2));
      return { type, ephemeralPublicKey, nonce, sealedSecret };
    }
    case 'ClientKeyExchange':
      return { type, encryptedPreMaster: r.field('encryptedPreMaster', E.ClientKeyExchange.encryptedPreMaster, () => r.vector(2)) };
    case 'CertificateVerify':
      return { type, signature: r.field('signature', E.CertificateVerify.signature, () => r.vector(2)) };
    case 'Finished':
      return { type, verifyData: allowedVector(r, 'verifyData', E.Finished.verifyData, 1, VERIFY_DATA_LENGTHS) };
    case 'EncryptedRecord': {
      const e = E.EncryptedRecord;
      const explicitNonce = allowedVector(r, 'explicitNonce', e.explicitNonce, 1, EXPLICIT_NONCE_LENGTHS);
      const ciphertext = r.field('ciphertext', e.ciphertext, () => r.vector(2));
      return { type, explicitNonce, ciphertext };
    }
    case 'Alert': {
      const description = r.field('description', E.Alert.description, () => readCode(r, ALERTS, 1));
      return { type, description };
    }
    case 'CertificateRequest': {
      const csr = r.field(
        'csr',
        E.CertificateRequest.csr,
        () => {
          const inner = r.sub(2);
          const csr = readCsr(inner);
          inner.expectEnd();
          return csr;
        },
        { show: (csr) => `request for ${csr.subject}` },
      );
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

function readMessage(r: Reader): Message {
  const typeAt = r.offset;
  const type = r.field(
    'type',
    TYPE_EXPLAIN,
    () => {
      const code = r.u8();
      const name = MESSAGE_TYPES.name(code);
      if (name === undefined) throw new CodecError('unknownType', `unknown message type ${hexCode(code, 1)} at offset ${typeAt}`, typeAt);
      return name;
    },
    { show: (name) => `${name} (${hexCode(MESSAGE_TYPES.code(name), 1)})` },
  );
  const length = r.field('length', LENGTH_EXPLAIN, () => r.u24());
  if (length > r.remaining) {
    // Read what did arrive, so the inspector shows the fields up to the cut; then refuse.
    const lengthAt = r.offset - 3;
    readBody(r.window(r.remaining), type);
    throw new CodecError('truncated', `truncated: length says ${length} bytes follow, only ${r.remaining} do`, lengthAt);
  }
  const body = r.window(length);
  const message = readBody(body, type);
  body.expectEnd();
  r.expectEnd();
  return message;
}

/** Decodes one framed message. Throws `CodecError` on anything but canonical bytes. */
export function decodeMessage(bytes: Uint8Array): Message {
  return readMessage(Reader.over(bytes));
}

/** The message these bytes hold, or undefined when they hold none (a party must not crash on forged bytes). */
export function tryDecodeMessage(bytes: Uint8Array): Message | undefined {
  try {
    return decodeMessage(bytes);
  } catch {
    return undefined;
  }
}

export interface Inspection {
  message?: Message;
  fields: FieldNode[];
  error?: string;
  /** Where decoding failed, when it did. */
  errorOffset?: number;
}

/** The packet inspector's view. Never throws: malformed bytes give the fields read so far and the error. */
export function inspectMessage(bytes: Uint8Array): Inspection {
  const r = Reader.over(bytes, { record: true });
  try {
    const message = readMessage(r);
    return { message, fields: r.fields };
  } catch (e) {
    if (e instanceof CodecError) return { fields: r.fields, error: e.message, errorOffset: e.offset };
    return { fields: r.fields, error: `could not decode: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The field tree of a well-formed message (e.g. for a view that already holds the value). */
export function messageFields(m: Message): FieldNode[] {
  return inspectMessage(encodeMessage(m)).fields;
}

// ---------------------------------------------------------------------------------------------
// The attacker's "edit a field"

/** Fields whose text is one of a fixed set of names. */
const ENUM_FIELDS: Record<string, CodeTable<string>> = {
  keyType: KEY_TYPES,
  keyUsage: KEY_USAGES,
  description: ALERTS,
};
/** Number fields that hold cipher suites: they also accept a suite's name. */
const CIPHER_SUITE_FIELDS = new Set(['cipherSuite', 'cipherSuites']);

function parseNumber(text: string, asCipherSuite: boolean, path: string): number {
  let t = text.trim();
  if (asCipherSuite) {
    const shown = /^\s*\w+\s*\((0x[0-9a-f]+)\)\s*$/i.exec(t); // "TLS_AES_128_GCM_SHA256 (0x1301)", as the inspector shows it
    if (shown) t = shown[1]!;
    else if (CIPHER_SUITES.has(t)) return CIPHER_SUITES.code(t);
  }
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

/**
 * A copy of `message` with the field at `path` (as in `FieldNode.path`) set from `value`,
 * parsed by the field's kind: text as is; a decimal (or 0x-hex) number; hex for bytes;
 * comma-separated numbers for lists; a name for key types, key usages, alerts, cipher suites.
 * Throws an Error saying what was wrong, including values the message cannot carry
 * (e.g. a 31-byte random): use a raw byte edit to send malformed bytes.
 */
export function setField(message: Message, path: string, value: string): Message {
  const keys = path.split('.');
  if (keys[0] === 'type') throw new Error('type is fixed by the kind of message; change the raw bytes to send a different type');
  if (keys[0] === 'length') throw new Error('length is computed from the fields; change the raw bytes to send a wrong length');
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
