/**
 * What the bots produce, level by level: every level × attacker behaviour × client behaviour
 * × CA behaviour, against the outcome the rules say the referee must give. Written out by hand,
 * cell family by cell family, from GAME.md — not generated from the engine. The scenario matrix
 * plays every cell; rules-doc.test.ts checks that docs/rules.md shows this same table.
 */
import type { AttackerBehaviour, CaBehaviour, ClientBehaviour, Level, Outcome } from '@heist/shared';

export type Expect = (client: ClientBehaviour, ca: CaBehaviour) => Outcome;
const always = (o: Outcome): Expect => () => o;
const byClient = (careful: Outcome, careless: Outcome): Expect => (c) => (c === 'careful' ? careful : careless);
const byCa = (strict: Outcome, sloppy: Outcome): Expect => (_c, ca) => (ca === 'strict' ? strict : sloppy);

export const EXPECTED: Record<Level, Record<AttackerBehaviour, Expect>> = {
  // Postcard: everything readable and editable. Unattacked, it came through — but not secure.
  1: {
    none: always('unprotected'),
    passive: always('eavesdropped'),
    keySubstitution: always('eavesdropped'), // no key to swap: she just reads
    fakeCertificate: always('eavesdropped'),
    fraudulentCsr: always('eavesdropped'),
    tamper: always('tampered'),
    replay: always('tampered'), // the bank pays twice
    strip: always('eavesdropped'), // nothing to strip
    ownNameCertificate: always('eavesdropped'), // no certificates: she just reads
    ownCertificateAsCa: always('eavesdropped'),
  },
  // One key, sent in the clear.
  2: {
    none: always('unprotected'),
    passive: always('eavesdropped'),
    keySubstitution: always('eavesdropped'),
    fakeCertificate: always('eavesdropped'),
    fraudulentCsr: always('eavesdropped'),
    tamper: always('tampered'), // she holds the key: re-sealed edits pass the tag
    replay: always('attackDetected'), // the game's own visible sequence check
    strip: always('eavesdropped'), // no http:// to strip: she listens, and the key is on the wire
    ownNameCertificate: always('eavesdropped'),
    ownCertificateAsCa: always('eavesdropped'),
  },
  // Two keys, no CA: a swapped key goes unnoticed; unattacked, nothing was checked.
  3: {
    none: always('unprotected'),
    passive: always('unprotected'), // she cannot read the sealed key, but nothing proved whose key it was
    keySubstitution: always('impersonated'),
    fakeCertificate: always('impersonated'), // no certificates: her own key
    fraudulentCsr: always('unprotected'), // no CA to fool; she only listens, to ciphertext
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: always('unprotected'), // no http:// to strip: she only listens
    ownNameCertificate: always('unprotected'), // no CA: she only listens, to ciphertext
    ownCertificateAsCa: always('unprotected'),
  },
  // Certified, TLS 1.2 with RSA key transport. The careful client has HSTS; the careless one is on a first visit.
  4: {
    none: always('secure'),
    passive: always('secure'),
    keySubstitution: byClient('attackDetected', 'impersonated'),
    fakeCertificate: byClient('attackDetected', 'impersonated'),
    fraudulentCsr: byCa('secure', 'impersonated'), // a mis-issued certificate fools even a careful client
    tamper: always('attackDetected'),
    replay: always('attackDetected'), // implicit sequence number: the replay fails its tag
    strip: byClient('secure', 'eavesdropped'), // HSTS: no plain request to strip
    ownNameCertificate: byClient('attackDetected', 'impersonated'), // valid, but for mallory.example: only the name check fails
    ownCertificateAsCa: always('secure'), // the root signs the bank itself here: no chain to forge, she only listens
  },
  // 4e (id 6): TLS 1.2 with ECDHE — as level 5, the bank's one-time share signed with its certificate's key.
  6: {
    none: always('secure'),
    passive: always('secure'), // the leaked key opens nothing: one-time key shares
    keySubstitution: always('attackDetected'), // the genuine certificate, her share: ServerKeyExchange's signature fails (decrypt_error)
    fakeCertificate: byClient('attackDetected', 'impersonated'),
    fraudulentCsr: byCa('secure', 'impersonated'),
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: byClient('secure', 'eavesdropped'),
    ownNameCertificate: byClient('attackDetected', 'impersonated'), // she signs her share with her own certificate's key: only the name check fails
    ownCertificateAsCa: always('secure'),
  },
  // Forward secrecy, TLS 1.3.
  5: {
    none: always('secure'),
    passive: always('secure'),
    keySubstitution: always('attackDetected'), // CertificateVerify: no click-through for that
    fakeCertificate: byClient('attackDetected', 'impersonated'),
    fraudulentCsr: byCa('secure', 'impersonated'),
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: byClient('secure', 'eavesdropped'),
    ownNameCertificate: byClient('attackDetected', 'impersonated'), // CertificateVerify passes: she holds that certificate's key
    ownCertificateAsCa: always('secure'),
  },
  // 6, the chain of trust (id 7): level 4e's handshake, the bank's certificate signed by an intermediate the root certified; the bank sends both.
  7: {
    none: always('secure'),
    passive: always('secure'),
    keySubstitution: always('attackDetected'), // the genuine chain, her share: ServerKeyExchange's signature fails
    fakeCertificate: byClient('attackDetected', 'impersonated'), // her own root is in no trust store
    fraudulentCsr: byCa('secure', 'impersonated'), // the intermediate mis-issues: every link is genuine
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: byClient('secure', 'eavesdropped'),
    ownNameCertificate: byClient('attackDetected', 'impersonated'), // a genuine chain for mallory.example: only the name check fails
    ownCertificateAsCa: byClient('attackDetected', 'impersonated'), // every signature verifies; her certificate is no CA (basicConstraints, keyUsage, pathLength)
  },
};
