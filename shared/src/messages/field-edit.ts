/**
 * The attacker's "edit a field": which fields of a message she may set (not the lengths, types
 * and versions the format computes), and a copy of the message with one set from the text she
 * typed, parsed by the field's kind; what the message cannot carry is refused, in words.
 */
import { fromHex } from '../codec/bytes.ts';
import { ALERTS, CIPHER_SUITES, KEY_TYPES, KEY_USAGES, type CodeTable } from './codes.ts';
import { CONTENT_TYPES } from './tls.ts';
import { encodeMessage } from './codec.ts';
import type { FieldNode, Message } from './types.ts';

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
