/**
 * Every message's bytes, and the packet inspector's view of them. One entry point dispatches on
 * the kind of message:
 *   - TLS messages travel as TLS records (messages/tls.ts: RFC 5246 / RFC 8446, byte for byte);
 *   - HTTP travels as HTTP/1.1 text (messages/http.ts);
 *   - the game's own messages (levels 2-3 keys, the CA's channel) in the game's frame
 *     (messages/game-frames.ts).
 * The first byte tells them apart: TLS content types are 20-23, HTTP text starts with a capital
 * letter, the game's frames with 0xE0 or more.
 *
 * One code path decodes and records the field tree (see `Reader.field`), so what the
 * inspector shows is exactly what the receiver decoded. Decoding is strict: truncated or
 * trailing bytes, unknown types, wrong fixed lengths and invalid UTF-8 are `CodecError`s.
 * The attacker's "edit a field" is messages/field-edit.ts's.
 */
import { toHex } from '../codec/bytes.ts';
import { CodecError, Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { ALERTS } from './codes.ts';
import { isGame, readGameFrame, writeGameFrame } from './game-frames.ts';
import { encodeHttp, looksLikeHttp, readHttp } from './http.ts';
import { alertLevel, encodeHandshake, isHandshakeType, isTlsType, readHandshake, readRecord, writeRecord, type HandshakeMessage, type TlsReadOptions } from './tls.ts';
import type { FieldNode, Message, MessageOf } from './types.ts';

export { RANDOM_LENGTH, VERIFY_DATA_LENGTHS } from './tls.ts';

// ---------------------------------------------------------------------------------------------
// Encoding

/** The canonical bytes of a message. Throws `CodecError` ('badValue') for a value that has none. */
export function encodeMessage(m: Message): Uint8Array {
  if (m.type === 'HttpRequest' || m.type === 'HttpResponse') return encodeHttp(m);
  const w = new Writer();
  if (isTlsType(m.type)) {
    writeRecord(w, m as MessageOf<typeof m.type>);
    return w.finish();
  }
  if (!isGame(m)) throw new CodecError('unknownType', `unknown message type "${String(m.type)}"`, 0);
  writeGameFrame(w, m);
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

/** Hex of a message's bytes (the inspector's hex pane). */
export function messageHex(m: Message): string {
  return toHex(encodeMessage(m));
}
