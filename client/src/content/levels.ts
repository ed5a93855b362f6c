/**
 * What each level teaches, as the briefing and the panels say it. Worded against the brief's
 * accuracy notes: the CA signs (never "encrypts") a certificate; a certificate alone proves
 * nothing; the randoms are public; encryption alone is not integrity; the pre-master secret.
 */
import type { AttackerBehaviour, BotBehaviours, Level, Role } from '../shared.ts';

export interface LevelInfo {
  title: string;
  concept: string;
  /** The briefing, one paragraph each. */
  briefing: string[];
  /** The handshake in order, as the briefing's diagram lists it. */
  steps: string[];
  goals: Record<Role, string>;
  /** The attack a practice bot tries at this level by default. */
  practiceAttack: AttackerBehaviour;
}

export const LEVEL_INFO: Record<Level, LevelInfo> = {
  1: {
    title: 'Postcard',
    concept: 'Plain HTTP',
    briefing: [
      'Alice’s browser sends her PIN and a transfer order to bank.example as a plain HTTP request. It travels like a postcard: every network on the way — including the café Wi-Fi — can read it and change it.',
      'There is no key, no signature and nothing to check: the bank cannot tell whether the order it receives is the one Alice wrote.',
    ],
    steps: ['HttpRequest (PIN and transfer, readable)', 'HttpResponse (readable)'],
    goals: {
      client: 'Send your PIN and the transfer. Watch what arrives.',
      server: 'Receive the order and report what arrived.',
      ca: 'No certificates yet at this level: watch.',
      attacker: 'Read the PIN (submit it to prove it) or change the transfer on the way.',
    },
    practiceAttack: 'tamper',
  },
  2: {
    title: 'One key',
    concept: 'Symmetric encryption (AES-256-GCM)',
    briefing: [
      'Now the records are encrypted with AES-256-GCM. Without the key they are unreadable, and GCM’s authentication tag makes any change to a record detectable.',
      'But the bank needs the same key first, and here the browser sends it over the same wire, in the clear (KeyTransport). Whoever copies it on the way can decrypt — and forge — everything that follows.',
      'A key card agreed in advance (a pre-shared key) would be secure, but every pair of people would need its own card: it does not scale to the web.',
    ],
    steps: ['KeyTransport (the AES key, readable!)', 'EncryptedRecord: request (AES-GCM)', 'EncryptedRecord: response'],
    goals: {
      client: 'Send your PIN and the transfer, encrypted.',
      server: 'Receive the order and report what arrived.',
      ca: 'No certificates yet at this level: watch.',
      attacker: 'Catch the key on the wire, then try it on the encrypted records.',
    },
    practiceAttack: 'passive',
  },
  3: {
    title: 'Two keys',
    concept: 'Public-key encryption without a CA',
    briefing: [
      'The bank sends its public key; the browser seals a fresh session key to it, so only the holder of the matching private key can open it.',
      'With only elliptic-curve keys in the game, “encrypt to the server’s public key” is X25519-based: the browser makes an ephemeral key pair, agrees a shared secret with the server’s public key, derives a key-encryption key from it and seals the session key with AES-GCM.',
      'The weakness: nothing says whose public key arrived. Mallory can swap in her own, open the session key, seal it again to the real bank and relay both ways — a working man-in-the-middle.',
    ],
    steps: ['ServerPublicKey (bare, unsigned)', 'ClientKeyExchange (session key sealed to that key)', 'EncryptedRecord: request', 'EncryptedRecord: response'],
    goals: {
      client: 'Decide whether to trust the key that arrives, then send your PIN and transfer.',
      server: 'Receive the order and report what arrived.',
      ca: 'No CA yet at this level: watch.',
      attacker: 'Substitute your own key and relay: read everything without being noticed.',
    },
    practiceAttack: 'keySubstitution',
  },
  4: {
    title: 'Certified',
    concept: 'HTTPS, TLS 1.2 style',
    briefing: [
      'ClientHello (client random, cipher suites, server name) → ServerHello (server random) + Certificate. The certificate binds the name bank.example to the bank’s public key. The CA signs it: a hash of the certificate, signed with the CA’s private key. Anyone verifies the signature with the CA’s public key, which is pre-installed in every browser’s trust store. The CA never encrypts the certificate; it is public, and anyone can copy and resend it.',
      'So a certificate alone proves nothing. The browser checks the issuer, the signature, the name (a valid certificate for evil.example is still wrong for bank.example) and the dates — and only the server that holds the matching private key can open what comes next.',
      'The browser makes a pre-master secret and encrypts it to the server’s public key. Here that is X25519-based: an ephemeral key together with the server’s key gives a key-encryption key, and AES-GCM seals the pre-master secret. Both sides then derive the session keys from client random + server random + pre-master secret (TLS 1.2 PRF). The two randoms are public: the secrecy comes from the pre-master secret alone.',
      'Encryption alone is not integrity. The Finished messages carry a MAC over the whole handshake transcript, so a change to the hellos is caught; every record carries an AES-GCM tag, so a changed byte is rejected.',
    ],
    steps: [
      'ClientHello (client random, cipher suites, server name)',
      'ServerHello (server random)',
      'Certificate (signed by the CA)',
      'ClientKeyExchange (pre-master secret, encrypted to the server’s key)',
      'Finished ×2 (MAC over the transcript)',
      'EncryptedRecord (AES-GCM)',
    ],
    goals: {
      client: 'Check the certificate — issuer, signature, name, dates — then trust or abort.',
      server: 'Get a certificate from the CA, then answer the handshake.',
      ca: 'Sign only for whoever really controls the name (check the domain-control challenge).',
      attacker: 'Present a fake or mis-issued certificate, or try a CSR for bank.example.',
    },
    practiceAttack: 'fakeCertificate',
  },
  5: {
    title: 'Forward secrecy',
    concept: 'TLS 1.3 style',
    briefing: [
      'Each side puts a fresh, ephemeral X25519 key share in its hello. Both compute the same shared secret from them; it never crosses the wire.',
      'The server proves it holds the private key of its certificate by signing the handshake transcript (CertificateVerify, Ed25519). The keys come from the TLS 1.3 key schedule (HKDF-Expand-Label), and the handshake after ServerHello is already encrypted.',
      'After the round the bank’s long-term key leaks. Mallory can then decrypt the level-4 sessions she recorded — their pre-master secret was encrypted to that key — but not these: the ephemeral keys are gone.',
    ],
    steps: [
      'ClientHello (+ ephemeral key share)',
      'ServerHello (+ ephemeral key share)',
      'Certificate, CertificateVerify (signature over the transcript)',
      'Finished ×2',
      'EncryptedRecord (AES-GCM)',
    ],
    goals: {
      client: 'Check the certificate and the CertificateVerify, then trust or abort.',
      server: 'Get a certificate, answer the handshake, prove you hold the key.',
      ca: 'Sign only for whoever really controls the name.',
      attacker: 'Record everything. When the server key leaks, what can you still read?',
    },
    practiceAttack: 'passive',
  },
};

export const ROLE_INFO: Record<Role, { name: string; who: string }> = {
  client: { name: 'Client', who: 'Alice’s browser' },
  server: { name: 'Server', who: 'bank.example' },
  ca: { name: 'Certificate authority', who: 'Heist Root CA' },
  attacker: { name: 'Attacker', who: 'Mallory on the café Wi-Fi' },
};

export const BEHAVIOUR_LABELS: Record<string, string> = {
  careful: 'careful (aborts on a failed check)',
  careless: 'careless (clicks through warnings)',
  standard: 'standard',
  strict: 'strict (checks domain control)',
  sloppy: 'sloppy (signs anything)',
  none: 'none (no attacker)',
  passive: 'passive eavesdropper',
  keySubstitution: 'key substitution',
  fakeCertificate: 'fake certificate',
  fraudulentCsr: 'fraudulent CSR to the CA',
  tamper: 'tamper with messages',
  replay: 'replay old packets',
  strip: 'strip HTTPS',
};

/** Bots for a practice round: a careful client and strict CA, the level's classic attack. */
export function practiceBots(level: Level): Partial<BotBehaviours> {
  return { client: 'careful', server: 'standard', ca: 'strict', attacker: LEVEL_INFO[level].practiceAttack };
}

export function levelName(level: Level): string {
  return `Level ${level} · ${LEVEL_INFO[level].title} — ${LEVEL_INFO[level].concept}`;
}
