/**
 * fast-check arbitraries for every message, certificate and CSR the codec carries, in their
 * real formats: TLS records and handshake messages with extensions (RFC 5246, RFC 8446), HTTP/1.1
 * text, and the game's own frames.
 */
import fc from 'fast-check';
import { ALERTS, KEY_TYPES, KEY_USAGES, SUITE } from '../../../shared/src/messages/codes.ts';
import { EXTENSION_TYPES } from '../../../shared/src/messages/tls-codes.ts';
import type { TlsReadOptions } from '../../../shared/src/messages/tls.ts';
import type { Certificate, CertificateSigningRequest, Extension, KeyUsageBit, Message, MessageOf, MessageType } from '../../../shared/src/messages/types.ts';

export const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const someBytes = (max: number, min = 0) => fc.uint8Array({ minLength: min, maxLength: max });
/** Text whose UTF-8 fits a u8 length (≤ 4 bytes per code point). */
export const shortText = fc.string({ unit: 'binary', maxLength: 63 });
export const longText = fc.string({ unit: 'binary', maxLength: 300 });
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const keyType = fc.constantFrom(...KEY_TYPES.names);
const keyUsage = fc.constantFrom(...KEY_USAGES.names);
/** keyUsage bits as a certificate carries them (in bit order): the game's one use, or a real RSA site's two. */
const certificateKeyUsage = fc.constantFrom<KeyUsageBit[]>(['digitalSignature'], ['keyEncipherment'], ['keyCertSign'], ['digitalSignature', 'keyEncipherment'], ['keyCertSign', 'cRLSign']);
/** Mostly the game's suites, sometimes any number (a ClientHello may offer suites the game ignores). */
const cipherSuite = fc.oneof(fc.constantFrom(...Object.values(SUITE)), u16);
const group = fc.oneof(fc.constantFrom(0x001d, 0x0017), u16);
const scheme = fc.oneof(fc.constantFrom(0x0403, 0x0401, 0x0804), u16);

/** A name as X.509 carries it in the game's profile: 1 to 64 printable characters (some beyond ASCII). */
const dnsText = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-éü'), minLength: 1, maxLength: 40 });
/** A key of its type: a P-256 point is 65 bytes starting 04; an RSA key is DER the codec carries as it is. */
const keyOf = (type: 'rsa' | 'p256') => (type === 'p256' ? bytes(64).map((b) => new Uint8Array([4, ...b])) : fc.uint8Array({ minLength: 1, maxLength: 300 }));
const keyed = keyType.chain((t) => keyOf(t).map((publicKey) => ({ keyType: t, publicKey })));

export const certificate: fc.Arbitrary<Certificate> = fc
  .record({
    serial: fc.bigInt({ min: 1n, max: (1n << 159n) - 1n }), // RFC 5280 §4.1.2.2: positive, at most 20 octets
    subject: dnsText,
    issuer: dnsText,
    notBefore: u32,
    notAfter: u32,
    key: keyed,
    keyUsage: certificateKeyUsage,
    names: fc.array(dnsText, { maxLength: 3 }),
    ca: fc.boolean(),
    authorityKeyId: fc.option(bytes(20), { nil: undefined }),
    signature: fc.uint8Array({ minLength: 1, maxLength: 80 }),
  })
  .map(({ key, authorityKeyId, ...c }) => ({ ...c, ...key, ...(authorityKeyId ? { authorityKeyId } : {}) }));

export const csr: fc.Arbitrary<CertificateSigningRequest> = fc
  .record({ subject: dnsText, key: keyed, keyUsage, signature: fc.uint8Array({ minLength: 1, maxLength: 300 }) })
  .map(({ key, ...c }) => ({ ...c, ...key }));

type Where = 'ClientHello' | 'ServerHello' | 'HelloRetryRequest' | 'EncryptedExtensions';

const share = fc.record({ group, key: someBytes(97, 1) });
/** An extension number the game has no typed form for (GREASE values, session_ticket, psk_key_exchange_modes, …). */
const unknownCode = u16.filter((c) => EXTENSION_TYPES.name(c) === undefined);

/** One extension as it may appear in `where` (RFC 8446 §4.2's table: which message carries which). */
function extension(where: Where): fc.Arbitrary<Extension> {
  const client = where === 'ClientHello';
  if (where === 'HelloRetryRequest') {
    // §4.1.4: supported_versions, the group the server asks for (key_share), a cookie — or any extension the game keeps as bytes.
    return fc.oneof(
      fc.record({ type: fc.constant('supported_versions' as const), versions: u16.map((v) => [v]) }),
      fc.record({ type: fc.constant('key_share' as const), shares: group.map((g) => [{ group: g, key: new Uint8Array(0) }]) }),
      fc.record({ type: fc.constant('cookie' as const), cookie: someBytes(40, 1) }),
      fc.record({ type: fc.constant('unknown' as const), code: unknownCode, data: someBytes(40) }),
    );
  }
  const all: fc.Arbitrary<Extension>[] = [
    fc.record({ type: fc.constant('server_name' as const), hostName: client ? dnsText : fc.constant('') }),
    fc.record({ type: fc.constant('unknown' as const), code: unknownCode, data: someBytes(40) }),
  ];
  if (where !== 'ServerHello') all.push(fc.record({ type: fc.constant('supported_groups' as const), groups: fc.array(group, { maxLength: 6 }) }));
  if (where !== 'EncryptedExtensions') {
    all.push(
      fc.record({ type: fc.constant('ec_point_formats' as const), formats: fc.array(u8, { maxLength: 4 }) }),
      fc.record({ type: fc.constant('supported_versions' as const), versions: client ? fc.array(u16, { maxLength: 4 }) : u16.map((v) => [v]) }),
      fc.record({ type: fc.constant('key_share' as const), shares: client ? fc.array(share, { maxLength: 2 }) : share.map((s) => [s]) }),
      fc.record({ type: fc.constant('renegotiation_info' as const), renegotiatedConnection: someBytes(24) }),
      fc.constant({ type: 'extended_master_secret' as const }),
    );
  }
  if (client) {
    all.push(
      fc.record({ type: fc.constant('signature_algorithms' as const), schemes: fc.array(scheme, { maxLength: 6 }) }),
      fc.record({ type: fc.constant('cookie' as const), cookie: someBytes(40, 1) }),
      // RFC 8446 §4.2.11: tickets offered, a binder each (32 bytes with SHA-256).
      fc.array(fc.record({ identity: someBytes(80, 1), obfuscatedTicketAge: fc.integer({ min: 0, max: 0xffffffff }) }), { minLength: 1, maxLength: 2 }).map((identities) => ({ type: 'pre_shared_key' as const, offer: { identities, binders: identities.map(() => new Uint8Array(32).fill(7)) } })),
      fc.record({ type: fc.constant('psk_key_exchange_modes' as const), modes: fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 2 }) }),
    );
  }
  if (where === 'ServerHello') all.push(fc.record({ type: fc.constant('pre_shared_key' as const), selected: fc.integer({ min: 0, max: 3 }) }));
  if (where !== 'ServerHello') all.push(fc.constant({ type: 'early_data' as const }));
  return fc.oneof(...all);
}

const codeOf = (e: Extension) => (e.type === 'unknown' ? e.code : EXTENSION_TYPES.code(e.type));
/** A list of extensions, each type at most once (RFC 8446 §4.2). */
const extensions = (where: Where) => fc.uniqueArray(extension(where), { maxLength: 6, selector: codeOf });

/** A request path: a slash and characters that are neither white space nor controls, some beyond ASCII. */
const path = fc.string({ unit: fc.constantFrom(...'abcxyz019/?&=%-_.~éü€'), maxLength: 40 }).map((p) => `/${p}`);
const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT'), fc.tuple(fc.constantFrom(...'ABCXYZ'), fc.string({ unit: fc.constantFrom(...'ABCXYZ-!#'), maxLength: 7 })).map(([a, b]) => a + b));
const status = fc.oneof(fc.constantFrom(200, 400, 403, 404, 500), fc.integer({ min: 100, max: 999 }).filter((s) => s !== 301));

const t = <T extends MessageType>(type: T) => fc.constant(type);

export const messageArbitraries: { [T in MessageType]: fc.Arbitrary<MessageOf<T>> } = {
  HttpRequest: fc.record({ type: t('HttpRequest'), method, host: dnsText, path, body: longText }),
  HttpResponse: fc.oneof(
    fc.record({ type: t('HttpResponse'), status, body: longText }),
    // A redirect's body is its Location, one line.
    fc.record({ type: t('HttpResponse'), status: fc.constant(301), body: fc.tuple(dnsText, path).map(([h, p]) => `https://${h}${p}`) }),
  ),
  KeyTransport: fc.record({ type: t('KeyTransport'), key: bytes(32) }),
  ServerPublicKey: fc.record({ type: t('ServerPublicKey'), publicKey: bytes(32) }),
  ClientHello: fc.record({
    type: t('ClientHello'),
    random: bytes(32),
    sessionId: fc.oneof(bytes(0), bytes(32), someBytes(32)),
    cipherSuites: fc.array(cipherSuite, { maxLength: 6 }),
    extensions: extensions('ClientHello'),
  }),
  ServerHello: fc.record({ type: t('ServerHello'), random: bytes(32), sessionId: fc.oneof(bytes(0), bytes(32)), cipherSuite, extensions: extensions('ServerHello') }),
  HelloRetryRequest: fc.record({ type: t('HelloRetryRequest'), sessionId: fc.oneof(bytes(0), bytes(32)), cipherSuite, extensions: extensions('HelloRetryRequest') }),
  EncryptedExtensions: fc.record({ type: t('EncryptedExtensions'), extensions: extensions('EncryptedExtensions') }),
  Certificate: fc.oneof(
    fc.record({ type: t('Certificate'), certificate, chain: fc.array(certificate, { maxLength: 2 }) }),
    // The TLS 1.3 form (RFC 8446 §4.4.2): a request context, and an empty extension block per entry.
    fc.record({ type: t('Certificate'), context: someBytes(8), certificate, chain: fc.array(certificate, { maxLength: 1 }) }),
    // TLS 1.3 with an OCSP staple in the server certificate's entry (status_request, RFC 8446 §4.4.2.1).
    fc.record({ type: t('Certificate'), context: someBytes(8), certificate, chain: fc.array(certificate, { maxLength: 1 }), ocspStaple: someBytes(64) }),
  ),
  ServerKeyExchange: fc.record({ type: t('ServerKeyExchange'), group, publicKey: someBytes(97, 1), scheme, signature: someBytes(80) }),
  CertificateStatus: fc.record({ type: t('CertificateStatus'), ocspResponse: someBytes(64, 1) }),
  ServerHelloDone: fc.record({ type: t('ServerHelloDone') }),
  ClientKeyExchange: fc.oneof(
    fc.record({ type: t('ClientKeyExchange'), encryptedPreMaster: someBytes(300), ecdhPublic: bytes(0) }),
    fc.record({ type: t('ClientKeyExchange'), encryptedPreMaster: bytes(0), ecdhPublic: someBytes(255, 1) }),
  ),
  CertificateVerify: fc.record({ type: t('CertificateVerify'), scheme, signature: someBytes(80) }),
  Finished: fc.record({ type: t('Finished'), verifyData: fc.oneof(bytes(12), bytes(32)) }),
  NewSessionTicket: fc.record({ type: t('NewSessionTicket'), body: someBytes(60) }),
  KeyUpdate: fc.record({ type: t('KeyUpdate'), requestUpdate: u8 }),
  HelloRequest: fc.record({ type: t('HelloRequest') }),
  EndOfEarlyData: fc.record({ type: t('EndOfEarlyData') }),
  ChangeCipherSpec: fc.record({ type: t('ChangeCipherSpec') }),
  EncryptedRecord: fc.oneof(
    fc.record({ type: t('EncryptedRecord'), contentType: fc.constant('applicationData' as const), fragment: someBytes(120, 1) }),
    // TLS 1.2 after ChangeCipherSpec: explicit nonce, ciphertext, tag (read with `encrypted`).
    fc.record({ type: t('EncryptedRecord'), contentType: fc.constant('handshake' as const), fragment: someBytes(120, 24) }),
    fc.record({ type: t('EncryptedRecord'), contentType: fc.constant('alert' as const), fragment: someBytes(120, 3) }),
  ),
  Alert: fc.record({ type: t('Alert'), description: fc.constantFrom(...ALERTS.names) }),
  SealedKey: fc.record({
    type: t('SealedKey'),
    ephemeralPublicKey: bytes(32),
    nonce: bytes(12),
    sealedSecret: someBytes(80),
  }),
  CertificateRequest: fc.record({ type: t('CertificateRequest'), csr }),
  CertificateIssued: fc.record({ type: t('CertificateIssued'), certificate, chain: fc.array(certificate, { maxLength: 2 }) }),
  CertificateRefused: fc.record({ type: t('CertificateRefused'), subject: shortText, reason: longText }),
};

export const MESSAGE_TYPE_NAMES = Object.keys(messageArbitraries) as MessageType[];

export const anyMessage: fc.Arbitrary<Message> = fc.oneof(...MESSAGE_TYPE_NAMES.map((k) => messageArbitraries[k] as fc.Arbitrary<Message>));

/**
 * How a receiver that knows the connection's state reads this message: a TLS 1.3 Certificate
 * (its layout differs), a TLS 1.2 handshake record after ChangeCipherSpec (encrypted).
 */
export function readOptionsFor(m: Message): TlsReadOptions {
  return {
    ...(m.type === 'Certificate' && m.context !== undefined ? { tls13: true } : {}),
    ...(m.type === 'EncryptedRecord' && m.contentType === 'handshake' ? { encrypted: true } : {}),
  };
}
