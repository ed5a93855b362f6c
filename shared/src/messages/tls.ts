/**
 * TLS on the wire, byte for byte: the record layer (RFC 8446 §5.1, RFC 5246 §6.2.1), the
 * handshake messages of TLS 1.2 (RFC 5246 §7.4, RFC 8422 for ECDHE) and TLS 1.3 (RFC 8446 §4),
 * with the hello extensions the game speaks (tls-extensions.ts; the inspector's words for every
 * field: tls-explain.ts). What the game sends is what OpenSSL sends and Wireshark dissects; what
 * OpenSSL sends, the game reads.
 *
 * One TLS message per record on the game's own wire (TLS allows several, and a record may
 * split one; `splitHandshakeRecord` turns a peer's coalesced records into one-message records
 * before they reach a machine). Encoding is canonical; decoding is strict unless `lenient`
 * (for records from other implementations: an old record version on a ClientHello, a
 * warning-level alert, extensions inside a TLS 1.3 certificate entry).
 *
 * Reading records the inspector's field tree on the way (Reader.field), so every field of the
 * tree points at its bytes: record header → handshake header → body → extensions.
 */
import { equalBytes, fromHex } from '../codec/bytes.ts';
import { CodecError, type Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { encodeCertificate } from '../pki/certificate.ts';
import { describeCertificate, readCertificate } from '../pki/certificate-fields.ts';
import { ALERTS, CIPHER_SUITES, hexCode, readCode, showCipherSuite, writeCode } from './codes.ts';
import { CONTENT_TYPES, EXTENSION_TYPES, HANDSHAKE_TYPES, NAMED_GROUPS, PROTOCOL_VERSIONS, SIGNATURE_SCHEMES, TLS12, showCode, type HandshakeType } from './tls-codes.ts';
import type { Certificate, Message, MessageOf, MessageType, RecordContentType } from './types.ts';
import { TLS_EXPLAIN } from './tls-explain.ts';
import { readExtensions, writeExtensions } from './tls-extensions.ts';

/** A handshake message: one of the registry's types, or a HelloRetryRequest (on the wire a ServerHello, RFC 8446 §4.1.4). */
export type HandshakeMessage = MessageOf<HandshakeType | 'HelloRetryRequest'>;
export type TlsMessageType = HandshakeMessage['type'] | 'ChangeCipherSpec' | 'Alert' | 'EncryptedRecord';
export type TlsMessage = MessageOf<TlsMessageType>;

export const RANDOM_LENGTH = 32; // RFC 8446 §4.1.2
/** RFC 8446 §4.1.3: the random of a HelloRetryRequest, SHA-256("HelloRetryRequest"). */
export const HELLO_RETRY_REQUEST_RANDOM = fromHex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');
/** RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.3 server's random when it answers in TLS 1.2 ("DOWNGRD" and 01), and in TLS 1.1 or below (… 00). */
export const DOWNGRADE_SENTINEL = { tls12: fromHex('444f574e47524401'), tls11: fromHex('444f574e47524400') } as const;

/** Whether a server random ends with either sentinel (§4.1.3: a TLS 1.3 client checks both). */
export function carriesDowngradeSentinel(random: Uint8Array): boolean {
  const end = random.subarray(random.length - 8);
  return equalBytes(end, DOWNGRADE_SENTINEL.tls12) || equalBytes(end, DOWNGRADE_SENTINEL.tls11);
}
export const VERIFY_DATA_LENGTHS = [12, 32] as const; // RFC 5246 §7.4.9 / RFC 8446 §4.4.4 with SHA-256
/** RFC 5246 §6.2.3: a protected record's fragment is at most 2^14 + 2048 bytes. */
const MAX_FRAGMENT = 2 ** 14 + 2048;
/** RFC 8446 §6: close_notify and user_canceled are warnings (and TLS 1.2's no_renegotiation, RFC 5246 §7.2.2); every other alert is fatal. */
const WARNING_ALERTS: ReadonlySet<string> = new Set(['close_notify', 'user_canceled', 'no_renegotiation']);

/** An alert's level byte: 1 warning, 2 fatal. */
export function alertLevel(description: string): 1 | 2 {
  return WARNING_ALERTS.has(description) ? 1 : 2;
}

export function isHandshakeType(type: MessageType): type is HandshakeMessage['type'] {
  return HANDSHAKE_TYPES.has(type) || type === 'HelloRetryRequest';
}
export function isTlsType(type: MessageType): type is TlsMessageType {
  return isHandshakeType(type) || type === 'ChangeCipherSpec' || type === 'Alert' || type === 'EncryptedRecord';
}

export interface TlsReadOptions {
  /** Records from another implementation: tolerate what the game itself never writes. */
  lenient?: boolean;
  /** TLS 1.3 forms where the version changes a layout (the Certificate message). */
  tls13?: boolean;
  /** The sender already sent ChangeCipherSpec: its handshake records are encrypted (TLS 1.2). */
  encrypted?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/**
 * Bytes already known for a value, so the same value is not encoded again and again: a
 * certificate's DER (sent, then hashed into the transcript, in every handshake), a handshake
 * message's bytes once encoded (for the transcript, then for its record) or as received (what
 * the transcript must hash). Values are never changed in place — an edit makes a copy
 * (setField) — so a value's bytes stay its bytes.
 */
const KNOWN_DER = new WeakMap<Certificate, Uint8Array>();
const KNOWN_BYTES = new WeakMap<HandshakeMessage, Uint8Array>();

function certificateDer(c: Certificate): Uint8Array {
  let der = KNOWN_DER.get(c);
  if (!der) KNOWN_DER.set(c, (der = encodeCertificate(c)));
  return der;
}

function need(ok: boolean, message: string, w: Writer): void {
  if (!ok) throw new CodecError('badValue', message, w.length);
}

function writeHandshakeBody(w: Writer, m: HandshakeMessage): void {
  switch (m.type) {
    case 'ClientHello':
      w.u16(TLS12).bytes(m.random, RANDOM_LENGTH, 'random');
      need(m.sessionId.length <= 32, 'sessionId is at most 32 bytes', w);
      w.vector(1, m.sessionId, 'sessionId');
      w.sub(2, (s) => m.cipherSuites.forEach((cs) => s.u16(cs, 'cipher suite')), 'cipherSuites');
      w.u8(1).u8(0); // compression_methods: null only
      writeExtensions(w, m.extensions, 'ClientHello');
      return;
    case 'ServerHello':
      need(!equalBytes(m.random, HELLO_RETRY_REQUEST_RANDOM), 'a ServerHello with the HelloRetryRequest random is a HelloRetryRequest', w);
      w.u16(TLS12).bytes(m.random, RANDOM_LENGTH, 'random');
      need(m.sessionId.length <= 32, 'sessionId is at most 32 bytes', w);
      w.vector(1, m.sessionId, 'sessionId').u16(m.cipherSuite, 'cipherSuite').u8(0);
      writeExtensions(w, m.extensions, 'ServerHello');
      return;
    case 'HelloRetryRequest':
      w.u16(TLS12).bytes(HELLO_RETRY_REQUEST_RANDOM, RANDOM_LENGTH, 'random');
      need(m.sessionId.length <= 32, 'sessionId is at most 32 bytes', w);
      w.vector(1, m.sessionId, 'sessionId').u16(m.cipherSuite, 'cipherSuite').u8(0);
      writeExtensions(w, m.extensions, 'HelloRetryRequest');
      return;
    case 'EncryptedExtensions':
      writeExtensions(w, m.extensions, 'EncryptedExtensions');
      return;
    case 'Certificate': {
      const certs = [m.certificate, ...m.chain];
      if (m.context) {
        w.vector(1, m.context, 'context');
        // RFC 8446 §4.4.2.1: the server certificate's entry carries the stapled OCSP answer, as status_request's CertificateStatus.
        const staple = m.ocspStaple;
        w.sub(3, (l) => certs.forEach((c, i) => {
          l.sub(3, (d) => d.bytes(certificateDer(c)), 'cert_data');
          if (i === 0 && staple) l.sub(2, (exts) => exts.u16(EXTENSION_TYPES.code('status_request'), 'extension type').sub(2, (st) => st.u8(1, 'status_type').sub(3, (o) => o.bytes(staple), 'OCSPResponse'), 'status_request'), 'extensions');
          else l.u16(0);
        }), 'certificate_list');
      } else {
        w.sub(3, (l) => certs.forEach((c) => l.sub(3, (d) => d.bytes(certificateDer(c)), 'ASN.1Cert')), 'certificate_list');
      }
      return;
    }
    case 'ServerKeyExchange':
      need(m.publicKey.length > 0, 'the key share cannot be empty', w);
      w.u8(3).u16(m.group, 'group').vector(1, m.publicKey, 'publicKey').u16(m.scheme, 'scheme').vector(2, m.signature, 'signature');
      return;
    case 'CertificateStatus':
      // CertificateStatus: status_type ocsp (1), then the DER OCSPResponse (RFC 6066 §8).
      need(m.ocspResponse.length > 0, 'an OCSP response is at least one byte', w);
      w.u8(1, 'status_type').vector(3, m.ocspResponse, 'ocspResponse');
      return;
    case 'ServerHelloDone':
      return;
    case 'ClientKeyExchange':
      need(m.encryptedPreMaster.length === 0 || m.ecdhPublic.length === 0, 'a ClientKeyExchange carries an encrypted pre-master or an ECDH share, not both', w);
      if (m.ecdhPublic.length > 0) w.vector(1, m.ecdhPublic, 'ecdhPublic');
      else w.vector(2, m.encryptedPreMaster, 'encryptedPreMaster');
      return;
    case 'CertificateVerify':
      w.u16(m.scheme, 'scheme').vector(2, m.signature, 'signature');
      return;
    case 'Finished':
      need((VERIFY_DATA_LENGTHS as readonly number[]).includes(m.verifyData.length), `verifyData must be 12 or 32 bytes, got ${m.verifyData.length}`, w);
      w.bytes(m.verifyData);
      return;
    case 'NewSessionTicket':
      w.bytes(m.body);
      return;
    case 'EndOfEarlyData':
      return;
    case 'KeyUpdate':
      need(Number.isInteger(m.requestUpdate) && m.requestUpdate >= 0 && m.requestUpdate <= 255, 'request_update is one byte', w);
      w.u8(m.requestUpdate, 'requestUpdate');
      return;
    case 'HelloRequest':
      return;
  }
}

/** A handshake message with its 4-byte header (what the transcript hashes, and what a record carries). */
export function writeHandshake(w: Writer, m: HandshakeMessage): void {
  w.bytes(encodeHandshake(m));
}

export function encodeHandshake(m: HandshakeMessage): Uint8Array {
  const known = KNOWN_BYTES.get(m);
  if (known) return known;
  const w = new Writer();
  writeCode(w, HANDSHAKE_TYPES, m.type === 'HelloRetryRequest' ? 'ServerHello' : m.type, 1);
  w.sub(3, (b) => writeHandshakeBody(b, m), m.type);
  const bytes = w.finish();
  KNOWN_BYTES.set(m, bytes);
  return bytes;
}

function contentTypeOf(m: TlsMessage): RecordContentType {
  switch (m.type) {
    case 'ChangeCipherSpec':
      return 'changeCipherSpec';
    case 'Alert':
      return 'alert';
    case 'EncryptedRecord':
      return m.contentType;
    default:
      return 'handshake';
  }
}

/** A TLS record holding one message. */
export function writeRecord(w: Writer, m: TlsMessage): void {
  writeCode(w, CONTENT_TYPES, contentTypeOf(m), 1);
  w.u16(TLS12);
  w.sub(
    2,
    (f) => {
      switch (m.type) {
        case 'ChangeCipherSpec':
          f.u8(1);
          return;
        case 'Alert':
          f.u8(alertLevel(m.description));
          writeCode(f, ALERTS, m.description, 1);
          return;
        case 'EncryptedRecord':
          // What a reader would take for a ChangeCipherSpec or a plaintext alert is never a protected record.
          if (m.contentType === 'changeCipherSpec') throw new CodecError('badValue', 'a ChangeCipherSpec record is never encrypted', f.length);
          if (m.contentType === 'alert' && m.fragment.length === 2) throw new CodecError('badValue', 'a protected alert is longer than 2 bytes (explicit nonce, alert, tag)', f.length);
          if (m.fragment.length === 0 || m.fragment.length > MAX_FRAGMENT) throw new CodecError('badValue', `a record fragment is 1 to ${MAX_FRAGMENT} bytes, got ${m.fragment.length}`, f.length);
          f.bytes(m.fragment);
          return;
        default:
          writeHandshake(f, m);
      }
    },
    'fragment',
  );
}

// ---------------------------------------------------------------------------------------------
// Decoding (and recording the field tree)

function explainSuite(code: number): string {
  const name = CIPHER_SUITES.name(code);
  return name ? CIPHER_SUITES.explain(name) : `${hexCode(code)}: a cipher suite the game does not speak; the server ignores it`;
}

function fixed(r: Reader, key: string, explain: string, expected: number, width: 1 | 2, what: string): void {
  r.field(key, explain, () => {
    const at = r.offset;
    const v = width === 1 ? r.u8() : r.u16();
    if (v !== expected) throw r.bad(`${what} must be ${hexCode(expected, width)}, got ${hexCode(v, width)}`, at);
    return v;
  }, { show: (v) => hexCode(v, width) });
}

/**
 * RFC 8446 §4.4.2.1: a TLS 1.3 CertificateEntry's extensions. The server certificate's may carry
 * status_request: a CertificateStatus (status_type ocsp, then the DER OCSPResponse, RFC 6066 §8).
 * Any other the game refuses (lenient readers keep going: a real server may send SCTs).
 */
const isStatusRequest = (code: Uint8Array | undefined) => code !== undefined && ((code[0]! << 8) | code[1]!) === EXTENSION_TYPES.code('status_request');

function readEntryExtensions(list: Reader, leaf: boolean, lenient: boolean): Uint8Array | undefined {
  const extAt = list.offset;
  const exts = list.sub(2);
  if (exts.remaining === 0) return undefined;
  if (leaf && isStatusRequest(exts.peek(2))) {
    exts.u16();
    const body = exts.sub(2);
    const typeAt = body.offset;
    if (body.u8() !== 1) throw body.bad('status_request: only ocsp (1) is defined', typeAt);
    const staple = body.field('ocspStaple', TLS_EXPLAIN.ocspStaple, () => body.vector(3));
    body.expectEnd();
    if (exts.remaining === 0) return staple;
  }
  if (!lenient) throw list.bad('the game sends no certificate extension but status_request (its OCSP staple), on the server’s certificate', extAt);
  exts.rest();
  return undefined;
}

function readCertificates(r: Reader, tls13: boolean, lenient: boolean): { certificate: Certificate; chain: Certificate[]; ocspStaple?: Uint8Array } {
  const list = r.sub(3);
  const certs: Certificate[] = [];
  let ocspStaple: Uint8Array | undefined;
  for (let i = 0; list.remaining > 0; i++) {
    const key = i === 0 ? 'certificate' : `chain.${i - 1}`;
    certs.push(
      list.field(
        key,
        i === 0 ? TLS_EXPLAIN.certificate : 'An intermediate CA certificate',
        () => {
          const der = list.sub(3);
          const cert = readCertificate(der);
          der.expectEnd();
          return cert;
        },
        { show: describeCertificate },
      ),
    );
    // The entry's extensions follow its certificate (the staple shows beside it, not inside X.509's fields).
    if (tls13) {
      const staple = readEntryExtensions(list, i === 0, lenient);
      if (staple) ocspStaple = staple;
    }
  }
  if (certs.length === 0) throw r.bad('an empty certificate list: the server sent no certificate');
  return { certificate: certs[0]!, chain: certs.slice(1), ...(ocspStaple ? { ocspStaple } : {}) };
}

function readHandshakeBody(r: Reader, type: HandshakeMessage['type'], options: TlsReadOptions): HandshakeMessage {
  const E = TLS_EXPLAIN;
  switch (type) {
    case 'HelloRetryRequest': {
      fixed(r, 'legacyVersion', E.legacyVersion, TLS12, 2, 'legacy_version');
      r.field('random', E.retryRandom, () => r.bytes(RANDOM_LENGTH));
      const sessionId = r.field('sessionId', E.sessionId, () => {
        const at = r.offset;
        const v = r.vector(1);
        if (v.length > 32) throw r.bad('session id longer than 32 bytes', at);
        return v;
      });
      const cipherSuite = r.field('cipherSuite', E.cipherSuite, () => r.u16(), { show: showCipherSuite, explainValue: (c) => `${E.cipherSuite}. ${explainSuite(c)}` });
      fixed(r, 'compressionMethod', E.compressionMethod, 0, 1, 'compression_method');
      return { type, sessionId, cipherSuite, extensions: readExtensions(r, 'HelloRetryRequest') };
    }
    case 'ClientHello':
    case 'ServerHello': {
      fixed(r, 'legacyVersion', E.legacyVersion, TLS12, 2, 'legacy_version');
      const random = r.field('random', E.random, () => r.bytes(RANDOM_LENGTH), {
        explainValue: (v) => (type === 'ServerHello' && carriesDowngradeSentinel(v) ? `${E.random}. Its last 8 bytes are 44 4F 57 4E 47 52 44 01 (“DOWNGRD” and 01): a server that speaks TLS 1.3 writes them when it answers in TLS 1.2 — the downgrade sentinel (RFC 8446 §4.1.3)` : E.random),
      });
      const sessionId = r.field('sessionId', E.sessionId, () => {
        const at = r.offset;
        const v = r.vector(1);
        if (v.length > 32) throw r.bad('session id longer than 32 bytes', at);
        return v;
      });
      if (type === 'ClientHello') {
        const cipherSuites = r.field(
          'cipherSuites',
          E.cipherSuites,
          () => {
            const at = r.offset;
            const list = r.sub(2);
            if (list.remaining % 2 !== 0) throw r.bad(`cipher suite list at offset ${at} has an odd length`, at);
            const out: number[] = [];
            for (let i = 0; list.remaining > 0; i++) out.push(list.field(String(i), 'A cipher suite', () => list.u16(), { show: showCipherSuite, explainValue: explainSuite }));
            return out;
          },
          { show: (s) => s.map(showCipherSuite).join(', ') },
        );
        r.field('compressionMethods', E.compressionMethods, () => {
          const at = r.offset;
          const methods = r.vector(1);
          if (methods.length !== 1 || methods[0] !== 0) throw r.bad('compression_methods must be exactly [null (0)]', at);
          return methods;
        }, { show: () => 'null (0)' });
        const extensions = readExtensions(r, 'ClientHello');
        return { type, random, sessionId, cipherSuites, extensions };
      }
      const cipherSuite = r.field('cipherSuite', E.cipherSuite, () => r.u16(), { show: showCipherSuite, explainValue: (c) => `${E.cipherSuite}. ${explainSuite(c)}` });
      fixed(r, 'compressionMethod', E.compressionMethod, 0, 1, 'compression_method');
      const extensions = readExtensions(r, 'ServerHello');
      return { type, random, sessionId, cipherSuite, extensions };
    }
    case 'EncryptedExtensions':
      return { type, extensions: readExtensions(r, 'EncryptedExtensions') };
    case 'Certificate': {
      if (options.tls13) {
        const context = r.field('context', E.context, () => r.vector(1));
        const certs = r.field('certificateList', 'certificate_list: the certificate, then any intermediates', () => readCertificates(r, true, !!options.lenient), { group: true });
        return { type, context, ...certs };
      }
      const certs = r.field('certificateList', 'certificate_list: the certificate, then any intermediates', () => readCertificates(r, false, false), { group: true });
      return { type, ...certs };
    }
    case 'ServerKeyExchange': {
      fixed(r, 'curveType', 'ECCurveType: named_curve (3)', 3, 1, 'curve_type');
      const group = r.field('group', E.group, () => r.u16(), { show: (g) => showCode(NAMED_GROUPS, g) });
      const keyAt = r.offset;
      const publicKey = r.field('publicKey', E.publicKey, () => r.vector(1));
      if (publicKey.length === 0) throw r.bad('the key share cannot be empty', keyAt);
      const scheme = r.field('scheme', E.scheme, () => r.u16(), { show: (s) => showCode(SIGNATURE_SCHEMES, s) });
      const signature = r.field('signature', `${E.signature}: it covers both randoms and the share above, so a swapped share is caught here`, () => r.vector(2));
      return { type, group, publicKey, scheme, signature };
    }
    case 'CertificateStatus': {
      fixed(r, 'statusType', 'status_type: 1, ocsp', 1, 1, 'status_type');
      const at = r.offset;
      const ocspResponse = r.field('ocspResponse', TLS_EXPLAIN.ocspStaple, () => r.vector(3));
      if (ocspResponse.length === 0) throw r.bad('an empty OCSP response', at);
      return { type, ocspResponse };
    }
    case 'ServerHelloDone':
      return { type };
    case 'ClientKeyExchange': {
      // RSA's EncryptedPreMasterSecret has a 2-byte length, ECDHE's point a 1-byte one; for any
      // valid body exactly one reading adds up (a 1-byte length equal to the rest is never also a 2-byte one).
      if (r.remaining >= 2 && r.remaining - 1 === (peek(r) ?? -1)) {
        return { type, encryptedPreMaster: new Uint8Array(0), ecdhPublic: r.field('ecdhPublic', E.ecdhPublic, () => r.vector(1)) };
      }
      return { type, encryptedPreMaster: r.field('encryptedPreMaster', E.encryptedPreMaster, () => r.vector(2)), ecdhPublic: new Uint8Array(0) };
    }
    case 'CertificateVerify': {
      const scheme = r.field('scheme', E.scheme, () => r.u16(), { show: (s) => showCode(SIGNATURE_SCHEMES, s) });
      const signature = r.field('signature', "ECDSA signature over the handshake so far, made with the private key of the server's certificate: proof it really holds that key", () => r.vector(2));
      return { type, scheme, signature };
    }
    case 'Finished': {
      const at = r.offset;
      const verifyData = r.field('verifyData', E.verifyData, () => r.rest());
      if (!(VERIFY_DATA_LENGTHS as readonly number[]).includes(verifyData.length)) throw r.bad(`verifyData must be 12 or 32 bytes, got ${verifyData.length}`, at);
      return { type, verifyData };
    }
    case 'NewSessionTicket':
      return { type, body: r.field('body', E.body, () => r.rest()) };
    case 'EndOfEarlyData':
      return { type };
    case 'KeyUpdate':
      // Any byte is read: a value other than 0 or 1 is the machine's to refuse (illegal_parameter, RFC 8446 §4.6.3).
      return { type, requestUpdate: r.field('requestUpdate', E.requestUpdate, () => r.u8(), { show: (v) => (v === 0 ? '0 (update_not_requested)' : v === 1 ? '1 (update_requested)' : String(v)) }) };
    case 'HelloRequest':
      return { type };
  }
}

const HELLO_RETRY_REQUEST_EXPLAIN =
  'hello_retry_request (2, sent as a server_hello with a fixed random): TLS 1.3, the server has no key share it can use and asks the client to send its ClientHello again, with one for the group it names';

/** The next byte, without moving. */
function peek(r: Reader): number | undefined {
  return r.peekByte();
}

/** One handshake message with its header, recording its tree (as a group node, so field paths stay the message's own). */
export function readHandshake(r: Reader, options: TlsReadOptions = {}): HandshakeMessage {
  return r.field(
    'handshake',
    TLS_EXPLAIN.handshake,
    () => {
      const header = r.peek(4);
      const whole = header && r.peek(4 + ((header[1]! << 16) | (header[2]! << 8) | header[3]!));
      // §4.1.3: a ServerHello with the fixed random is a HelloRetryRequest (type, length, legacy_version, then the random).
      const retry = r.peekByte() === HANDSHAKE_TYPES.code('ServerHello') && equalBytes(r.peek(RANDOM_LENGTH, 6) ?? new Uint8Array(0), HELLO_RETRY_REQUEST_RANDOM);
      const type: HandshakeMessage['type'] = r.field('handshakeType', TLS_EXPLAIN.handshakeType, () => {
        const t = readCode(r, HANDSHAKE_TYPES, 1);
        return retry ? 'HelloRetryRequest' : t;
      }, {
        show: (t) => (t === 'HelloRetryRequest' ? 'HelloRetryRequest (2, a ServerHello)' : `${t} (${HANDSHAKE_TYPES.code(t)})`),
        explainValue: (t) => (t === 'HelloRetryRequest' ? HELLO_RETRY_REQUEST_EXPLAIN : HANDSHAKE_TYPES.explain(t)),
      });
      const length = r.field('handshakeLength', TLS_EXPLAIN.handshakeLength, () => r.u24());
      if (length > r.remaining) throw new CodecError('truncated', `truncated: the handshake message says ${length} bytes follow, only ${r.remaining} do`, r.offset - 3);
      const body = r.window(length);
      const m = readHandshakeBody(body, type, options);
      body.expectEnd();
      if (whole) KNOWN_BYTES.set(m, whole);
      return m;
    },
    { group: true, show: (m) => m.type },
  );
}

function readAlert(r: Reader, lenient: boolean): MessageOf<'Alert'> {
  const levelAt = r.offset;
  const alertLevel = r.field('alertLevel', TLS_EXPLAIN.alertLevel, () => r.u8(), { show: (l) => (l === 1 ? 'warning (1)' : l === 2 ? 'fatal (2)' : String(l)) });
  const description = r.field('description', TLS_EXPLAIN.description, () => readCode(r, ALERTS, 1), { explainValue: (d) => ALERTS.explain(d) });
  const expected = WARNING_ALERTS.has(description) ? 1 : 2;
  if (alertLevel !== expected && !(lenient && (alertLevel === 1 || alertLevel === 2))) throw r.bad(`alert ${description} must be level ${expected}, got ${alertLevel}`, levelAt);
  return { type: 'Alert', description };
}

/**
 * Whether a handshake record's fragment, read without knowing whether its sender has switched
 * to encryption, is a plaintext message: its first byte names a handshake type. A TLS 1.2
 * protected record starts with its explicit nonce, the sequence number, whose first byte is 0:
 * the type of HelloRequest — which is empty, so only a 4-byte fragment is one.
 */
function isPlainHandshake(type: HandshakeType | undefined, length: number): boolean {
  return type !== undefined && (type !== 'HelloRequest' || length === 4);
}

/** A record holding one TLS message. */
export function readRecord(r: Reader, options: TlsReadOptions = {}): TlsMessage {
  return r.field(
    'record',
    TLS_EXPLAIN.record,
    () => {
      const contentType = r.field('contentType', TLS_EXPLAIN.contentType, () => readCode(r, CONTENT_TYPES, 1), {
        show: (t) => `${t} (${CONTENT_TYPES.code(t)})`,
        explainValue: (t) => CONTENT_TYPES.explain(t),
      });
      r.field('recordVersion', TLS_EXPLAIN.recordVersion, () => {
        const at = r.offset;
        const v = r.u16();
        const ok = v === TLS12 || (options.lenient && (v === 0x0301 || v === 0x0302));
        if (!ok) throw r.bad(`record version must be 0x0303, got ${hexCode(v)}`, at);
        return v;
      }, { show: (v) => showCode(PROTOCOL_VERSIONS, v) });
      const length = r.field('recordLength', TLS_EXPLAIN.recordLength, () => r.u16());
      if (length > r.remaining) throw new CodecError('truncated', `truncated: the record says ${length} bytes follow, only ${r.remaining} do`, r.offset - 2);
      if (length === 0 || length > MAX_FRAGMENT) throw r.bad(`a record fragment is 1 to ${MAX_FRAGMENT} bytes, got ${length}`, r.offset - 2);
      const f = r.window(length);
      let m: TlsMessage;
      if (contentType === 'changeCipherSpec') {
        f.field('changeCipherSpec', TLS_EXPLAIN.changeCipherSpec, () => {
          const at = f.offset;
          if (f.u8() !== 1) throw f.bad('ChangeCipherSpec must be the single byte 1', at);
          return 1;
        });
        m = { type: 'ChangeCipherSpec' };
      } else if (contentType === 'alert' && length === 2) {
        m = readAlert(f, !!options.lenient);
      } else if (contentType === 'handshake' && !options.encrypted && isPlainHandshake(HANDSHAKE_TYPES.name(f.peekByte() ?? -1), length)) {
        m = readHandshake(f, options);
      } else {
        m = { type: 'EncryptedRecord', contentType, fragment: f.field('fragment', TLS_EXPLAIN.fragment, () => f.rest()) };
      }
      f.expectEnd();
      return m;
    },
    { group: true, show: (m) => m.type },
  );
}

/**
 * A peer's handshake record that holds several messages (TLS lets a sender coalesce them):
 * one record per message, as the game's machines take them. Fragmented messages are refused.
 */
export function splitHandshakeRecord(fragment: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < fragment.length; ) {
    if (at + 4 > fragment.length) throw new CodecError('truncated', 'a handshake message split across records (the game does not reassemble)', at);
    const len = (fragment[at + 1]! << 16) | (fragment[at + 2]! << 8) | fragment[at + 3]!;
    if (at + 4 + len > fragment.length) throw new CodecError('truncated', 'a handshake message split across records (the game does not reassemble)', at);
    const one = fragment.subarray(at, at + 4 + len);
    const w = new Writer();
    w.u8(22).u16(TLS12).vector(2, one);
    out.push(w.finish());
    at += 4 + len;
  }
  return out;
}

export type { HandshakeType, RecordContentType };
export { CONTENT_TYPES, HANDSHAKE_TYPES };
export type { Message };
