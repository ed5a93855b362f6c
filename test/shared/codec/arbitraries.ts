/** fast-check arbitraries for every message, certificate and CSR the codec carries. */
import fc from 'fast-check';
import { ALERTS, KEY_TYPES, KEY_USAGES, SUITE } from '../../../shared/src/messages/codes.ts';
import type { Certificate, CertificateSigningRequest, Message, MessageOf, MessageType } from '../../../shared/src/messages/types.ts';

export const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const someBytes = (max: number) => fc.uint8Array({ maxLength: max });
/** Text whose UTF-8 fits a u8 length (≤ 4 bytes per code point). */
export const shortText = fc.string({ unit: 'binary', maxLength: 63 });
export const longText = fc.string({ unit: 'binary', maxLength: 300 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const keyType = fc.constantFrom(...KEY_TYPES.names);
const keyUsage = fc.constantFrom(...KEY_USAGES.names);
/** Mostly the game's suites, sometimes any number (a ClientHello may offer suites the game ignores). */
const cipherSuite = fc.oneof(fc.constantFrom(...Object.values(SUITE)), u16);

/** A name as X.509 carries it in the game's profile: 1 to 64 printable characters (some beyond ASCII). */
const dnsText = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-éü'), minLength: 1, maxLength: 40 });
/** A key of its type: a P-256 point is 65 bytes starting 04; an RSA key is DER the codec carries as it is. */
const keyOf = (type: 'rsa' | 'p256') => (type === 'p256' ? bytes(64).map((b) => new Uint8Array([4, ...b])) : fc.uint8Array({ minLength: 1, maxLength: 300 }));
const keyed = keyType.chain((t) => keyOf(t).map((publicKey) => ({ keyType: t, publicKey })));

export const certificate: fc.Arbitrary<Certificate> = fc
  .record({
    serial: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    subject: dnsText,
    issuer: dnsText,
    notBefore: u32,
    notAfter: u32,
    key: keyed,
    keyUsage,
    names: fc.array(dnsText, { maxLength: 3 }),
    ca: fc.boolean(),
    signature: fc.uint8Array({ minLength: 1, maxLength: 80 }),
  })
  .map(({ key, ...c }) => ({ ...c, ...key }));

export const csr: fc.Arbitrary<CertificateSigningRequest> = fc
  .record({ subject: dnsText, key: keyed, keyUsage, signature: fc.uint8Array({ minLength: 1, maxLength: 300 }) })
  .map(({ key, ...c }) => ({ ...c, ...key }));

const t = <T extends MessageType>(type: T) => fc.constant(type);

export const messageArbitraries: { [T in MessageType]: fc.Arbitrary<MessageOf<T>> } = {
  HttpRequest: fc.record({ type: t('HttpRequest'), method: shortText, host: shortText, path: longText, body: longText }),
  HttpResponse: fc.record({ type: t('HttpResponse'), status: u16, body: longText }),
  KeyTransport: fc.record({ type: t('KeyTransport'), key: bytes(32) }),
  ServerPublicKey: fc.record({ type: t('ServerPublicKey'), publicKey: bytes(32) }),
  ClientHello: fc.record({
    type: t('ClientHello'),
    random: bytes(32),
    cipherSuites: fc.array(cipherSuite, { maxLength: 6 }),
    serverName: shortText,
    keyShare: fc.oneof(bytes(0), bytes(32)),
  }),
  ServerHello: fc.record({ type: t('ServerHello'), random: bytes(32), cipherSuite, keyShare: fc.oneof(bytes(0), bytes(32)) }),
  Certificate: fc.record({ type: t('Certificate'), certificate }),
  SealedKey: fc.record({
    type: t('SealedKey'),
    ephemeralPublicKey: bytes(32),
    nonce: bytes(12),
    sealedSecret: someBytes(80),
  }),
  ClientKeyExchange: fc.record({ type: t('ClientKeyExchange'), encryptedPreMaster: someBytes(300) }),
  CertificateVerify: fc.record({ type: t('CertificateVerify'), signature: someBytes(80) }),
  Finished: fc.record({ type: t('Finished'), verifyData: fc.oneof(bytes(12), bytes(32)) }),
  EncryptedRecord: fc.record({ type: t('EncryptedRecord'), explicitNonce: fc.oneof(bytes(0), bytes(8)), ciphertext: someBytes(120) }),
  Alert: fc.record({ type: t('Alert'), description: fc.constantFrom(...ALERTS.names) }),
  CertificateRequest: fc.record({ type: t('CertificateRequest'), csr }),
  CertificateIssued: fc.record({ type: t('CertificateIssued'), certificate }),
  CertificateRefused: fc.record({ type: t('CertificateRefused'), subject: shortText, reason: longText }),
};

export const MESSAGE_TYPE_NAMES = Object.keys(messageArbitraries) as MessageType[];

export const anyMessage: fc.Arbitrary<Message> = fc.oneof(...MESSAGE_TYPE_NAMES.map((k) => messageArbitraries[k] as fc.Arbitrary<Message>));
