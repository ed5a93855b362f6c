import { TLS12_RECORD_FRAGMENT } from './records.ts';
import type { LevelPageTexts, LevelTexts } from './types.ts';

export const LEVEL4_PAGE_TEXTS: LevelPageTexts = {
  label: '4',
  title: 'Certified',
  concept: 'HTTPS, TLS 1.2 with RSA',
  briefing: {
    summary: 'Before play, the CA signs the bank a certificate: “this key belongs to bank.example”. Alice’s browser checks the signature offline, with the CA’s key it already has, then encrypts a secret only the bank can decrypt.',
    firstSteps: {
      client: 'Connect; trust only if every check passes.',
      server: 'Before play, have bank.example certified with the RSA key Alice encrypts her secret to.',
      ca: 'Fetch each request’s challenge; sign only for whoever controls the name.',
      attacker: 'Before Alice connects, present a fake certificate or a real mallory.example one.',
    },
    more: [
      'ClientHello (client random, cipher suites, the name wanted) → ServerHello (server random) + Certificate. The CA signed the certificate — a hash of it, signed with the CA’s private key — before play began: anyone can read it, and any change breaks the signature. The CA takes no part in Alice’s connection.',
      'A certificate alone proves nothing: anyone can copy and resend it. The browser checks the issuer, the signature, the name (Mallory can get a valid certificate for mallory.example, a name she owns, but it is still wrong for bank.example), the dates and the key usage — and only the holder of the matching private key can open the pre-master secret that follows.',
      'The bank chooses what to have certified. A certificate for www.bank.example, or for its ECDSA P-256 signing key, is signed all the same — and fails Alice’s name or key-usage check: the round ends as “Wrong certificate”. While preparing, the bank may ask again.',
      'The CA sees who asks, from which address, for which name and key, and what its own records say (a name it already certified, the same key asking for two names). Fetching the ACME http-01 challenge proves who controls the name; the owner record (WHOIS) is evidence only.',
      'Both sides derive the session keys from client random + server random + pre-master secret (TLS 1.2 PRF). The randoms are public: the secret is the pre-master alone. A changed random makes the two sides derive different keys, so the first encrypted message (Finished) fails its tag; any other change to the handshake makes the Finished MACs differ (a name or suite list the bank cannot serve is refused at once).',
      'Every record carries an AES-GCM tag over its place in the sequence, which each side counts itself: a changed, replayed or reordered record fails its tag (bad_record_mac).',
      'A browser that knows bank.example from an earlier visit (HSTS) goes straight to https://. On a first visit it asks http:// first and follows the bank’s redirect — the one plain request an SSL-stripping attacker needs.',
      'This is TLS 1.2’s RSA key transport, TLS_RSA_WITH_AES_128_GCM_SHA256, as RFC 5246 writes it: the browser encrypts the pre-master secret with the RSA key in the certificate (PKCS #1 v1.5). It has no forward secrecy; TLS 1.2’s ECDHE suites did have it.',
      'If decryption fails, the bank says nothing and carries on with a random pre-master: Finished then fails. An answer that said “bad padding” would be an oracle — Bleichenbacher (1998), ROBOT (2017) and the Marvin attack (2023) decrypted RSA this way. That, and the missing forward secrecy, is why TLS 1.3 dropped RSA key transport.',
    ],
  },
  steps: [
    'http://bank.example/ → redirect to https:// (skipped with HSTS)',
    'ClientHello (client random, cipher suites, server name)',
    'ServerHello (server random)',
    'Certificate (signed by the CA before play)',
    'ServerHelloDone',
    'ClientKeyExchange (pre-master secret, encrypted to the server’s key)',
    'ChangeCipherSpec, Finished (client: a MAC over the transcript, its first encrypted message)',
    'ChangeCipherSpec, Finished (server)',
    'EncryptedRecord (AES-GCM)',
  ],
  noChecksYet: 'None yet: they run as the handshake arrives.',
};

/** With the words only the server says (the debrief, the inspector's words for its records, the key-leak comparison): the browser never loads them. */
export const LEVEL4_TEXTS: LevelTexts = {
  ...LEVEL4_PAGE_TEXTS,
  debriefNote:
    'The certificate ties bank.example to its key, signed by a CA the client already trusts and checked offline. A changed random or key makes the two sides derive different keys (the first encrypted message fails its tag); any other change to the handshake makes the Finished MACs differ.',
  wire: 'TLS 1.2 itself (RFC 5246, TLS_RSA_WITH_AES_128_GCM_SHA256), as the RFC writes it: OpenSSL reads it and Wireshark shows it — record → handshake → extensions.',
  recordFragment: TLS12_RECORD_FRAGMENT,
  leak: {
    how: 'TLS 1.2 RSA key transport: the pre-master secret travelled encrypted to the bank’s long-term RSA key (no forward secrecy; TLS 1.2’s ECDHE suites had it)',
    afterword: 'The leaked key does more than open old recordings: with it Mallory can decrypt every new session to this certificate and pose as the bank. The bank must revoke its certificate and get a new one, for a new key.',
  },
};
