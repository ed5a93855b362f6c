import { TLS12_RECORD_FRAGMENT } from './records.ts';
import type { LevelPageTexts, LevelTexts } from './types.ts';

export const LEVEL4E_PAGE_TEXTS: LevelPageTexts = {
  label: '4e',
  title: 'One-time keys',
  concept: 'HTTPS, TLS 1.2 with ECDHE',
  briefing: {
    summary: 'Still TLS 1.2, but nothing is encrypted to the bank’s key: each side sends a one-time key share, and together they make the secret. The bank signs its share with its certificate’s key: a swapped share fails.',
    firstSteps: {
      client: 'Connect; trust only if every check passes.',
      server: 'Before play, have bank.example certified with the P-256 key you sign with.',
      ca: 'Fetch each request’s challenge; sign only for whoever controls the name.',
      attacker: 'Record everything, swap the bank’s key share, or present a fake certificate.',
    },
    more: [
      'ClientHello (client random, the suite TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, the curve P-256) → ServerHello (server random), Certificate, ServerKeyExchange, ServerHelloDone → ClientKeyExchange, ChangeCipherSpec, Finished.',
      'ServerKeyExchange carries the bank’s one-time P-256 public key and an ECDSA signature, made with the certificate’s private key, over both randoms and that key (RFC 8422 §5.4). A share swapped on the way breaks the signature: Alice’s browser sends decrypt_error. The randoms make an old signed share useless in a new handshake.',
      'Alice answers with her own one-time share in ClientKeyExchange. Each side combines its secret with the other’s public share (ECDH): the same pre-master secret on both sides, and it never crosses the wire.',
      'Here the certificate carries the bank’s ECDSA P-256 signing key (digitalSignature), as at level 5: a certificate for its RSA key fails Alice’s key-usage check.',
      'After the round the bank’s signing key leaks. It opens none of these recordings, and no key could: the one-time secrets were forgotten after the handshake (forward secrecy). A leaked RSA key opens level-4 recordings. Forward secrecy comes from the key exchange, not the version number — TLS 1.3 only made it mandatory.',
      'The keys come from the TLS 1.2 PRF over the pre-master secret and, since Alice offers the extended master secret (RFC 7627), a hash of the handshake up to her ClientKeyExchange, not the two randoms alone. A changed random fails the signature first; any other change to the hellos makes the keys differ, so Alice’s Finished, the first encrypted message, fails its tag. Finished proves the other end holds its share’s secret; every record carries an AES-GCM tag.',
    ],
  },
  steps: [
    'http://bank.example/ → redirect to https:// (skipped with HSTS)',
    'ClientHello (client random, cipher suites, server name, curve)',
    'ServerHello (server random)',
    'Certificate (signed by the CA before play)',
    'ServerKeyExchange (one-time key share, signed with the certificate’s key)',
    'ServerHelloDone',
    'ClientKeyExchange (the client’s one-time key share, unsigned)',
    'ChangeCipherSpec, Finished (client: a MAC over the transcript, its first encrypted message)',
    'ChangeCipherSpec, Finished (server)',
    'EncryptedRecord (AES-GCM)',
  ],
  noChecksYet: 'None yet: they run as the handshake arrives.',
};

/** With the words only the server says (the debrief, the inspector's words for its records, the key-leak comparison): the browser never loads them. */
export const LEVEL4E_TEXTS: LevelTexts = {
  ...LEVEL4E_PAGE_TEXTS,
  debriefNote:
    'TLS 1.2 with ECDHE: the secret comes from one-time key shares, and the bank signs its share with its certificate’s key, so a swapped bank share fails the signature (decrypt_error); Alice’s share is unsigned, and Finished catches a swap. The shares are forgotten after the handshake: a later leak of the bank’s key opens nothing (forward secrecy).',
  wire: 'TLS 1.2 itself (RFC 5246 with RFC 8422’s ECDHE, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), as the RFCs write it: OpenSSL reads it and Wireshark shows it — record → handshake → extensions.',
  recordFragment: TLS12_RECORD_FRAGMENT,
  leak: {
    how: 'TLS 1.2 ECDHE: the session keys came from one-time P-256 key shares, thrown away after the handshake (forward secrecy, already in TLS 1.2)',
    afterword: 'The leaked key still matters: with it Mallory could sign a ServerKeyExchange and pose as the bank from now on. The bank must revoke its certificate and get a new one.',
  },
};
