/**
 * The game's own messages (levels 2-3 keys, the CA's channel), in the game's frame:
 *   uint8 type (0xE0 and up); uint24 length; opaque body[length];
 * written and read field by field, each field explained for the packet inspector. The first
 * byte, 0xE0 or more, is where no TLS record (content types 20-23) and no HTTP text starts.
 */
import { assertNever } from '../basics/assert-never.ts';
import { CodecError, type Reader } from '../codec/reader.ts';
import type { Writer } from '../codec/writer.ts';
import { encodeCertificate } from '../pki/certificate.ts';
import { describeCertificate, readCertificate } from '../pki/certificate-fields.ts';
import { encodeCsr, readCsr } from '../pki/csr.ts';
import { GAME_FRAMES, hexCode, type GameFrameType } from './codes.ts';
import type { Message, MessageOf } from './types.ts';

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

export type GameMessage = MessageOf<GameFrameType>;

export function isGame(m: Message): m is GameMessage {
  return GAME_FRAMES.has(m.type);
}

/** A game message's frame: its type, its length, its body. */
export function writeGameFrame(w: Writer, m: GameMessage): void {
  w.u8(GAME_FRAMES.code(m.type));
  w.sub(3, (body) => writeGameBody(body, m), m.type);
}

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

export function readGameFrame(r: Reader): Message {
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
