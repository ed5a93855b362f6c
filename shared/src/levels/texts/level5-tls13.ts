import { TLS13_RECORD_FRAGMENT } from './records.ts';
import type { LevelPageTexts, LevelTexts } from './types.ts';

export const LEVEL5_PAGE_TEXTS: LevelPageTexts = {
  label: '5',
  title: 'One-time keys, always',
  concept: 'HTTPS, TLS 1.3',
  briefing: {
    summary: 'Each side puts a one-time X25519 key share in its hello; together they make a secret no onlooker can compute. The bank then signs the handshake with its certificate’s key (CertificateVerify).',
    firstSteps: {
      client: 'Connect; check the certificate and CertificateVerify, then trust or abort.',
      server: 'Before play, have bank.example certified with the P-256 key you sign the handshake with.',
      ca: 'Fetch each request’s challenge and read your records; sign or refuse.',
      attacker: 'Record everything, or before Alice connects, present a fake or a mallory.example certificate.',
    },
    more: [
      'An attacker who swaps the key shares gets a secret of her own with each side, not theirs: CertificateVerify and Finished expose her, since she cannot sign with the bank’s key.',
      'Here the certificate carries the bank’s ECDSA P-256 signing key (digitalSignature): a certificate for its RSA key fails Alice’s key-usage check, and clicked through, CertificateVerify fails. Mallory’s own valid certificate for mallory.example passes CertificateVerify — she holds its key — so only the name check catches it.',
      'Everything after ServerHello is encrypted, the Certificate too. That hides which certificate was sent; the certificate inside is the same public, signed document. The browser checks the CA’s signature offline, with the CA key it already has.',
      'Keys come from the TLS 1.3 key schedule (HKDF-Expand-Label) over the key-share secret and both hellos: a changed hello field makes the two sides’ keys differ, so the first encrypted message, EncryptedExtensions, fails its tag (a name or suite list the bank cannot serve is refused at once).',
      'After the round the bank’s signing key leaks. It opens none of these recordings, and no key could: the key shares are gone (forward secrecy). A leaked RSA key opens level-4 recordings; TLS 1.2’s ECDHE suites (level 4e) had forward secrecy too, and TLS 1.3 made it mandatory.',
      'The suite TLS_AES_128_GCM_SHA256 names only the record cipher (AES-128-GCM) and the hash (SHA-256); the key-share group (X25519) and the signature scheme (ECDSA P-256, ecdsa_secp256r1_sha256) are agreed separately.',
    ],
  },
  steps: [
    'http://bank.example/ → redirect to https:// (skipped with HSTS)',
    'ClientHello (+ one-time key share)',
    'ServerHello (+ one-time key share)',
    'EncryptedExtensions, Certificate, CertificateVerify (signature over the transcript), Finished — all encrypted',
    'Finished (client)',
    'EncryptedRecord (AES-GCM)',
  ],
  noChecksYet: 'None yet: they run as the handshake arrives.',
};

/** With the words only the server says (the debrief, the inspector's words for its records, the key-leak comparison): the browser never loads them. */
export const LEVEL5_TEXTS: LevelTexts = {
  ...LEVEL5_PAGE_TEXTS,
  debriefNote:
    'One-time key shares give forward secrecy (TLS 1.3 made it mandatory; TLS 1.2’s ECDHE suites had it too). CertificateVerify proves the server holds its certificate’s key; a changed hello field makes the handshake keys differ.',
  wire: 'TLS 1.3 itself (RFC 8446, TLS_AES_128_GCM_SHA256), as the RFC writes it: OpenSSL reads it and Wireshark shows it — record → handshake → extensions; after the ServerHello every record is encrypted and says application_data.',
  recordFragment: TLS13_RECORD_FRAGMENT,
  leak: {
    how: 'TLS 1.3: the session keys came from one-time key shares, thrown away after the handshake (forward secrecy, mandatory in TLS 1.3)',
    afterword: 'The leaked key still matters: with it Mallory could sign a CertificateVerify and pose as the bank from now on. The bank must revoke its certificate and get a new one.',
  },
};
