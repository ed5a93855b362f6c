/**
 * TLS on the wire, byte for byte: the record layer (RFC 8446 §5.1, RFC 5246 §6.2.1), the
 * handshake messages of TLS 1.2 (RFC 5246 §7.4, RFC 8422 for ECDHE) and TLS 1.3 (RFC 8446 §4),
 * and the hello extensions the game speaks (RFC 8446 §4.2, RFC 6066, RFC 5746). What the game
 * sends is what OpenSSL sends and Wireshark dissects; what OpenSSL sends, the game reads.
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
import { concat, equalBytes, fromHex } from '../codec/bytes.ts';
import { CodecError, type Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { describeCertificate, encodeCertificate, readCertificate } from '../pki/certificate.ts';
import { ALERTS, CIPHER_SUITES, hexCode, readCode, showCipherSuite, writeCode } from './codes.ts';
import { CONTENT_TYPES, EXTENSION_TYPES, GROUP, HANDSHAKE_TYPES, NAMED_GROUPS, PROTOCOL_VERSIONS, SIGNATURE_SCHEMES, TLS12, showCode, type HandshakeType } from './tls-codes.ts';
import type { Certificate, Extension, KeyShareEntry, PskIdentity, Message, MessageOf, MessageType, RecordContentType } from './types.ts';

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

/** One line per field, for a student. */
export const TLS_EXPLAIN = {
  record: 'TLS record: a 5-byte header (content type, version, length) and the fragment it carries',
  contentType: 'Content type (1 byte): what the record carries',
  recordVersion: 'Record version (2 bytes): 0x0303 (TLS 1.2), in TLS 1.3 too — the real version is agreed in the hellos',
  recordLength: 'Record length (2 bytes): how many bytes of fragment follow',
  handshake: 'Handshake message: a 4-byte header (type, length) and its body',
  handshakeType: 'Handshake type (1 byte)',
  handshakeLength: 'Handshake length (3 bytes): how many bytes of body follow',
  legacyVersion: 'legacy_version: 0x0303 (TLS 1.2); TLS 1.3 says its real version in supported_versions',
  compressionMethods: 'Compression: none (0) — TLS compression was dropped after the CRIME attack',
  compressionMethod: 'Compression: none (0)',
  extensions: 'Extensions: everything the hellos add to the basic fields',
  random: '32 public random bytes; they make each session’s keys unique, but they are not secret',
  sessionId: 'Session id: for resumption in TLS 1.2; TLS 1.3 clients send 32 random bytes here only to look like TLS 1.2 to middleboxes',
  cipherSuites: 'Cipher suites the client can use, most preferred first; the server picks one',
  cipherSuite: "The cipher suite the server picked from the client's list; it must be one the client offered",
  context: 'certificate_request_context: empty when the server sends its certificate',
  certificate: "The server's certificate (X.509, DER): a CA's signed statement that this public key belongs to these names. Anyone can read it; any change breaks the signature. In TLS 1.3 it travels encrypted: that hides which certificate was sent, but the certificate inside is the same public, signed document",
  ocspStaple: 'OCSP staple (status_request: RFC 8446 §4.4.2.1 in TLS 1.3, RFC 6066 §8’s CertificateStatus in TLS 1.2): the CA’s signed answer that this certificate is still good (or revoked), dated, fetched by the server and sent along — so the browser need not ask the CA itself (RFC 6960)',
  chain: 'Intermediate CA certificates, if any, between the server’s certificate and a root the browser trusts',
  group: 'Named curve of the one-time key share',
  publicKey: "The server's one-time ECDH public key (uncompressed point): it makes a secret with the client's share that no onlooker can compute",
  scheme: 'Signature scheme: how the signature below was made',
  signature: "Signature with the certificate's private key: only the holder of that key can make it",
  encryptedPreMaster: "The 48-byte pre-master secret (client version 3,3 and 46 random bytes), RSA-encrypted with PKCS #1 v1.5 to the key in the server's certificate: only that private key decrypts it — and anyone who gets the key later can decrypt this recording",
  ecdhPublic: "The client's one-time ECDH public key: with the server's share it makes the pre-master secret; both are forgotten after the handshake (forward secrecy)",
  verifyData: 'A MAC over every handshake message so far, keyed from the session’s secret: if anyone changed a message, the two sides’ values differ',
  body: 'A session ticket (RFC 8446 §4.6.1): its lifetime, age_add, nonce, the ticket itself (sealed by the server, opaque to the client) and extensions',
  retryRandom:
    'Not random: the fixed value SHA-256("HelloRetryRequest") marks this ServerHello as a HelloRetryRequest — the server speaks TLS 1.3 but has no key share it can use, and asks the client to send its ClientHello again with one for the group below',
  selectedGroup: 'selected_group: the one group the server asks a key share for; the second ClientHello carries a single share, for this group (both hellos, and this request, go into the transcript)',
  cookie: 'cookie: an opaque value the client must send back in its second ClientHello; a server may keep its state in it rather than in memory',
  requestUpdate: 'request_update: 1 (update_requested) asks the other side to move to fresh keys too; 0 (update_not_requested) does not — the answer to a request',
  description: 'What went wrong, as a TLS alert code (RFC 8446 §6)',
  alertLevel: 'Alert level: 1 warning (close_notify, user_canceled), 2 fatal (every other alert)',
  fragment:
    'Encrypted fragment. TLS 1.2: the first 8 bytes are the explicit nonce, sent in the clear, then ciphertext and a 16-byte AEAD tag. TLS 1.3: ciphertext and tag only, the real content type inside. Either way the receiver counts records itself and the tag covers its count, so a changed, replayed or reordered record fails its tag',
  changeCipherSpec: 'ChangeCipherSpec: one byte, 1',
} as const;

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

type Where = 'ClientHello' | 'ServerHello' | 'HelloRetryRequest' | 'EncryptedExtensions';

function writeExtension(w: Writer, e: Extension, where: Where): void {
  if (e.type === 'unknown') {
    if (EXTENSION_TYPES.name(e.code)) throw new CodecError('badValue', `extension ${hexCode(e.code)} has a typed form: use it`, w.length);
    w.u16(e.code, 'extension type').vector(2, e.data, 'extension data');
    return;
  }
  writeCode(w, EXTENSION_TYPES, e.type, 2);
  w.sub(
    2,
    (d) => {
      switch (e.type) {
        case 'server_name':
          if (where !== 'ClientHello') {
            if (e.hostName !== '') throw new CodecError('badValue', 'a server acknowledges server_name with an empty extension', d.length);
            return;
          }
          if (e.hostName === '') throw new CodecError('badValue', 'server_name needs a host name', d.length);
          d.sub(2, (list) => list.u8(0).text(2, e.hostName, 'hostName'), 'server_name_list');
          return;
        case 'status_request':
          // RFC 6066 §8: a TLS 1.2 ServerHello acknowledges it empty (its CertificateStatus follows the Certificate).
          if (where === 'ServerHello') return;
          if (where !== 'ClientHello') throw new CodecError('badValue', 'status_request belongs in a ClientHello, or empty in a TLS 1.2 ServerHello', d.length);
          // CertificateStatusRequest: status_type ocsp (1), no responder_id_list, no request_extensions.
          d.u8(1, 'status_type').u16(0, 'responder_id_list').u16(0, 'request_extensions');
          return;
        case 'supported_groups':
          d.sub(2, (l) => e.groups.forEach((g) => l.u16(g, 'group')), 'named_group_list');
          return;
        case 'ec_point_formats':
          d.sub(1, (l) => e.formats.forEach((f) => l.u8(f, 'format')), 'ec_point_format_list');
          return;
        case 'signature_algorithms':
          d.sub(2, (l) => e.schemes.forEach((s) => l.u16(s, 'scheme')), 'supported_signature_algorithms');
          return;
        case 'supported_versions':
          if (where === 'ClientHello') d.sub(1, (l) => e.versions.forEach((v) => l.u16(v, 'version')), 'versions');
          else if (e.versions.length === 1) d.u16(e.versions[0]!, 'selected_version');
          else throw new CodecError('badValue', 'a ServerHello names exactly one version', d.length);
          return;
        case 'key_share':
          if (where === 'ClientHello') d.sub(2, (l) => e.shares.forEach((s) => writeShare(l, s)), 'client_shares');
          else if (where === 'HelloRetryRequest') {
            // §4.2.8: KeyShareHelloRetryRequest, the selected group alone.
            if (e.shares.length !== 1 || e.shares[0]!.key.length !== 0) throw new CodecError('badValue', 'a HelloRetryRequest names one group and no key', d.length);
            d.u16(e.shares[0]!.group, 'selected_group');
          } else if (e.shares.length === 1) writeShare(d, e.shares[0]!);
          else throw new CodecError('badValue', 'a ServerHello answers with exactly one key share', d.length);
          return;
        case 'cookie':
          if (e.cookie.length === 0) throw new CodecError('badValue', 'a cookie is at least one byte', d.length);
          d.vector(2, e.cookie, 'cookie');
          return;
        case 'renegotiation_info':
          d.vector(1, e.renegotiatedConnection, 'renegotiated_connection');
          return;
        case 'extended_master_secret':
          return; // empty: its presence says it all
        case 'pre_shared_key':
          if (where === 'ClientHello') {
            const offer = e.offer;
            if (!offer || offer.identities.length === 0 || offer.identities.length !== offer.binders.length) throw new CodecError('badValue', 'a ClientHello’s pre_shared_key offers at least one identity, with one binder each', d.length);
            d.sub(2, (l) => offer.identities.forEach((i) => l.vector(2, i.identity, 'identity').u32(i.obfuscatedTicketAge, 'obfuscated_ticket_age')), 'identities');
            d.sub(2, (l) => offer.binders.forEach((b) => l.vector(1, b, 'binder')), 'binders');
          } else if (where === 'ServerHello' && e.selected !== undefined) d.u16(e.selected, 'selected_identity');
          else throw new CodecError('badValue', 'a ServerHello’s pre_shared_key names the identity it selected', d.length);
          return;
        case 'early_data':
          if (e.maxEarlyDataSize !== undefined) d.u32(e.maxEarlyDataSize, 'max_early_data_size');
          return;
        case 'psk_key_exchange_modes':
          d.sub(1, (l) => e.modes.forEach((m) => l.u8(m, 'mode')), 'ke_modes');
          return;
      }
    },
    e.type,
  );
}

function writeShare(w: Writer, s: KeyShareEntry): void {
  if (s.key.length === 0) throw new CodecError('badValue', 'a key share cannot be empty', w.length);
  w.u16(s.group, 'group').vector(2, s.key, 'key_exchange');
}

function extensionCode(e: Extension): number {
  return e.type === 'unknown' ? e.code : EXTENSION_TYPES.code(e.type);
}

function writeExtensions(w: Writer, list: readonly Extension[], where: Where): void {
  // RFC 8446 §4.2: a reader refuses an extension that appears twice, so it is never written.
  const codes = list.map(extensionCode);
  const twice = codes.find((c, i) => codes.indexOf(c) !== i);
  if (twice !== undefined) throw new CodecError('badValue', `extension ${hexCode(twice)} appears twice (RFC 8446 §4.2)`, w.length);
  w.sub(2, (l) => list.forEach((e) => writeExtension(l, e, where)), 'extensions');
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

const showList = (table: Parameters<typeof showCode>[0]) => (codes: number[]) => codes.map((c) => showCode(table, c)).join(', ');

function u16List(r: Reader, key: string, explain: string, lenBytes: 1 | 2, table: Parameters<typeof showCode>[0]): number[] {
  return r.field(
    key,
    explain,
    () => {
      const at = r.offset;
      const list = r.sub(lenBytes);
      if (list.remaining % 2 !== 0) throw r.bad(`list at offset ${at} has an odd length`, at);
      const out: number[] = [];
      while (list.remaining > 0) out.push(list.u16());
      return out;
    },
    { show: showList(table) },
  );
}

/**
 * An X25519MLKEM768 share (draft-ietf-tls-ecdhe-mlkem §3), its two parts named: the client's is
 * an ML-KEM-768 encapsulation key (1184) ‖ an X25519 key (32); the server's an ML-KEM-768
 * ciphertext (1088) ‖ an X25519 key (32). Another length is read whole (the machines refuse it).
 */
function readHybridShare(r: Reader): Uint8Array {
  const share = r.sub(2);
  const mlkem = share.remaining === 1184 + 32 ? 1184 : share.remaining === 1088 + 32 ? 1088 : undefined;
  if (mlkem === undefined) return share.rest();
  const first =
    mlkem === 1184
      ? share.field('mlkem', 'ML-KEM-768 encapsulation key (FIPS 203, 1184 bytes): the bank encapsulates a secret to it, which only Alice’s decapsulation key recovers — built to resist quantum computers', () => share.bytes(mlkem))
      : share.field('mlkem', 'ML-KEM-768 ciphertext (FIPS 203, 1088 bytes): the secret the bank encapsulated to Alice’s key; only her decapsulation key opens it', () => share.bytes(mlkem));
  const x25519 = share.field('x25519', 'X25519 public key (32 bytes, RFC 7748): the classic half; the session keys need this secret and the ML-KEM one together', () => share.bytes(32));
  share.expectEnd();
  return concat(first, x25519);
}

function readShare(r: Reader, key: string): KeyShareEntry {
  return r.field(
    key,
    'KeyShareEntry: a group and a one-time public key',
    () => {
      const group = r.field('group', 'Named group', () => r.u16(), { show: (g) => showCode(NAMED_GROUPS, g) });
      const keyAt = r.offset;
      const k = r.field('key', 'key_exchange: the one-time public key; public on purpose', () => (group === GROUP.x25519MlKem768 ? readHybridShare(r) : r.vector(2)));
      if (k.length === 0) throw r.bad('a key share cannot be empty', keyAt);
      return { group, key: k };
    },
    { show: (s) => showCode(NAMED_GROUPS, s.group) },
  );
}

function readExtensionBody(d: Reader, code: number, where: Where): Extension {
  const name = EXTENSION_TYPES.name(code);
  switch (name) {
    case 'server_name': {
      if (where !== 'ClientHello' || d.remaining === 0) {
        if (where === 'ClientHello') throw d.bad('server_name needs a host name');
        return { type: 'server_name', hostName: '' };
      }
      const list = d.sub(2);
      const kindAt = list.offset;
      if (list.u8() !== 0) throw list.bad('server_name: only host_name (0) is defined', kindAt);
      const hostName = list.field('hostName', 'host_name: the site the client wants, in the clear', () => list.text(2));
      if (hostName === '') throw list.bad('server_name needs a host name');
      list.expectEnd();
      return { type: 'server_name', hostName };
    }
    case 'status_request': {
      if (where === 'ServerHello' && d.remaining === 0) return { type: 'status_request' };
      if (where !== 'ClientHello') throw d.bad('status_request belongs in a ClientHello, or empty in a TLS 1.2 ServerHello');
      const at = d.offset;
      if (d.field('statusType', 'status_type: 1, ocsp', () => d.u8()) !== 1) throw d.bad('status_request: only ocsp (1) is defined', at);
      d.field('responderIds', 'responder_id_list: the OCSP responders the client trusts (empty: the CA’s own)', () => d.vector(2));
      d.field('requestExtensions', 'request_extensions: extensions for the OCSP request (empty)', () => d.vector(2));
      return { type: 'status_request' };
    }
    case 'supported_groups':
      return { type: 'supported_groups', groups: u16List(d, 'groups', 'The groups the client can do key exchange with', 2, NAMED_GROUPS) };
    case 'ec_point_formats': {
      const formats = d.field('formats', 'Point formats: 0 = uncompressed', () => [...d.vector(1)]);
      return { type: 'ec_point_formats', formats };
    }
    case 'signature_algorithms':
      return { type: 'signature_algorithms', schemes: u16List(d, 'schemes', 'The signature schemes the client can check', 2, SIGNATURE_SCHEMES) };
    case 'supported_versions':
      if (where === 'ClientHello') return { type: 'supported_versions', versions: u16List(d, 'versions', 'The versions the client speaks', 1, PROTOCOL_VERSIONS) };
      return { type: 'supported_versions', versions: [d.field('versions', 'The version the server chose', () => d.u16(), { show: (v) => showCode(PROTOCOL_VERSIONS, v) })] };
    case 'key_share':
      if (where === 'ClientHello') {
        const shares = d.field('shares', "The client's one-time key shares, one per group it guesses the server will pick", () => {
          const list = d.sub(2);
          const out: KeyShareEntry[] = [];
          for (let i = 0; list.remaining > 0; i++) out.push(readShare(list, String(i)));
          return out;
        }, { show: (s) => s.map((e) => showCode(NAMED_GROUPS, e.group)).join(', ') });
        return { type: 'key_share', shares };
      }
      if (where === 'HelloRetryRequest') {
        const shares = d.field(
          'shares',
          TLS_EXPLAIN.selectedGroup,
          () => [d.field('0', TLS_EXPLAIN.selectedGroup, () => ({ group: d.field('group', TLS_EXPLAIN.selectedGroup, () => d.u16(), { show: (g) => showCode(NAMED_GROUPS, g) }), key: new Uint8Array(0) }), { show: (s) => showCode(NAMED_GROUPS, s.group) })],
          { show: (s) => showCode(NAMED_GROUPS, s[0]!.group) },
        );
        return { type: 'key_share', shares };
      }
      return { type: 'key_share', shares: d.field('shares', "The server's one-time key share", () => [readShare(d, '0')], { show: (s) => showCode(NAMED_GROUPS, s[0]!.group) }) };
    case 'cookie': {
      const at = d.offset;
      const cookie = d.field('cookie', TLS_EXPLAIN.cookie, () => d.vector(2));
      if (cookie.length === 0) throw d.bad('a cookie is at least one byte', at);
      return { type: 'cookie', cookie };
    }
    case 'renegotiation_info':
      return { type: 'renegotiation_info', renegotiatedConnection: d.field('renegotiatedConnection', 'Empty on a first handshake', () => d.vector(1)) };
    case 'extended_master_secret':
      return { type: 'extended_master_secret' }; // empty (the caller checks that nothing follows)
    case 'pre_shared_key': {
      if (where === 'ServerHello') return { type: 'pre_shared_key', selected: d.field('selected', 'selected_identity: the ticket the server accepts (0: the first offered)', () => d.u16()) };
      const identities = d.field('identities', 'The tickets offered, each with its obfuscated age', () => {
        const list = d.sub(2);
        const out: PskIdentity[] = [];
        for (let i = 0; list.remaining > 0; i++) {
          out.push(
            list.field(String(i), 'PskIdentity', () => ({
              identity: list.field('identity', 'identity: the ticket, as the server sealed it — opaque to the client, and to anyone on the path', () => list.vector(2)),
              obfuscatedTicketAge: list.field('obfuscatedTicketAge', 'obfuscated_ticket_age: the ticket’s age in ms, plus the ticket’s age_add (mod 2^32) so an onlooker cannot link visits', () => list.u32()),
            })),
          );
        }
        return out;
      });
      const binders = d.field('binders', 'PskBinderEntry: one per identity, an HMAC over this ClientHello up to the binders, keyed from the ticket’s secret — proof the client holds it', () => {
        const list = d.sub(2);
        const out: Uint8Array[] = [];
        for (let i = 0; list.remaining > 0; i++) out.push(list.field(String(i), 'binder', () => list.vector(1)));
        return out;
      });
      if (identities.length === 0 || identities.length !== binders.length) throw d.bad('pre_shared_key offers at least one identity, with one binder each');
      return { type: 'pre_shared_key', offer: { identities, binders } };
    }
    case 'early_data':
      if (d.remaining === 0) return { type: 'early_data' };
      return { type: 'early_data', maxEarlyDataSize: d.field('maxEarlyDataSize', 'max_early_data_size: how many bytes of early data a client may send with this ticket', () => d.u32()) };
    case 'psk_key_exchange_modes': {
      const modes = d.field('modes', 'ke_modes: 0 psk_ke (the ticket alone), 1 psk_dhe_ke (the ticket with a fresh key exchange)', () => [...d.vector(1)], { show: (m) => m.map((x) => (x === 0 ? '0 (psk_ke)' : x === 1 ? '1 (psk_dhe_ke)' : String(x))).join(', ') });
      return { type: 'psk_key_exchange_modes', modes };
    }
    default:
      return { type: 'unknown', code, data: d.field('data', `Extension ${hexCode(code)}: one the game does not use; kept as bytes`, () => d.rest()) };
  }
}

function readExtensions(r: Reader, where: Where): Extension[] {
  return r.field(
    'extensions',
    TLS_EXPLAIN.extensions,
    () => {
      const list = r.sub(2);
      const out: Extension[] = [];
      const seen = new Set<number>();
      for (let i = 0; list.remaining > 0; i++) {
        const ext = list.field(
          String(i),
          'An extension',
          () => {
            const at = list.offset;
            const code = list.field('extensionType', 'Extension type (2 bytes)', () => list.u16(), { show: (c) => showCode(EXTENSION_TYPES, c) });
            if (seen.has(code)) throw list.bad(`extension ${hexCode(code)} appears twice (RFC 8446 §4.2)`, at);
            seen.add(code);
            const data = list.sub(2);
            const e = readExtensionBody(data, code, where);
            data.expectEnd();
            return e;
          },
          { show: (e) => (e.type === 'unknown' ? hexCode(e.code) : e.type), explainValue: (e) => (e.type === 'unknown' ? `Extension ${hexCode(e.code)}: one the game does not use; kept as bytes` : EXTENSION_TYPES.explain(e.type)) },
        );
        out.push(ext);
      }
      return out;
    },
    { show: (l) => l.map((e) => (e.type === 'unknown' ? hexCode(e.code) : e.type)).join(', ') },
  );
}

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
