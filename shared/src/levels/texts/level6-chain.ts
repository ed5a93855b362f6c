import { TLS12_RECORD_FRAGMENT } from './records.ts';
import type { LevelPageTexts, LevelTexts } from './types.ts';

export const LEVEL6_PAGE_TEXTS: LevelPageTexts = {
  label: '6',
  title: 'Chain of trust',
  concept: 'HTTPS through an intermediate CA, TLS 1.2 with ECDHE',
  briefing: {
    summary: 'Browsers trust only a few root CAs. The root certifies an intermediate CA, which signs the bank’s certificate. The bank must send both; Alice’s browser checks every link up to the root. A site’s certificate may never sign another.',
    firstSteps: {
      client: 'Connect; trust only if every link passes.',
      server: 'Get bank.example certified, then send the full chain.',
      ca: 'You run the intermediate: sign only for whoever controls the name.',
      attacker: 'Get a mallory.example certificate, then sign a bank.example one with its key.',
    },
    more: [
      'The Certificate message now carries two certificates: bank.example, signed by Heist Issuing CA, then Heist Issuing CA, signed by Heist Root CA. Only the root is in Alice’s trust store. Her browser starts at the bank’s certificate, finds its issuer among the certificates sent, checks each signature with the key in the certificate above it, and stops at the root it already trusts (RFC 5280 §6).',
      'Why not sign with the root? Its private key is too precious to keep online: it stays in a vault and signs an intermediate every few years, and the intermediate signs sites every day. A stolen intermediate can be revoked on its own, without changing every browser’s trust store.',
      'With the bank’s certificate the CA sends the intermediate’s, as ACME does. The bank chooses what its server sends: fullchain.pem (both) or cert.pem (its own alone). From one certificate the browser finds no issuer it knows — unknown issuer, unknown_ca — and the round ends as “Wrong certificate”: the bank’s fault, no attacker needed. (Some browsers fetch a missing intermediate themselves; many programs do not.)',
      'Mallory can get a genuine certificate for mallory.example. Its private key can sign anything — even a certificate saying bank.example has her key, sent with hers and the intermediate’s after it. Every signature on that path verifies. What stops it: her certificate says basicConstraints cA FALSE and its keyUsage lacks keyCertSign — a site is no CA. And the intermediate’s pathLenConstraint 0 allows no CA below it.',
      'This happened: in 2002 Internet Explorer did not check basicConstraints, so anyone with a cheap site certificate could sign one for any bank (Moxie Marlinspike showed it). A browser that skips the path rules, or a user who clicks through them, is fooled.',
      'The handshake is level 4e’s, TLS 1.2 with ECDHE (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256): the Certificate message crosses the Wi-Fi in the clear, so everyone on the way, Mallory too, sees the chain the bank sends (TLS 1.3 encrypts it). The bank signs its one-time key share with its certificate’s key, so only the holder of that key can pose as the certificate’s subject.',
      'The CA seat runs Heist Issuing CA: Heist Root CA signed its certificate, so everything it signs chains up to that root. It still checks who controls a name before it signs.',
    ],
  },
  steps: [
    'http://bank.example/ → redirect to https:// (skipped with HSTS)',
    'ClientHello (client random, cipher suites, server name, curve)',
    'ServerHello (server random)',
    'Certificate: bank.example, then Heist Issuing CA (the chain; the root is already in the browser)',
    'ServerKeyExchange (one-time key share, signed with the certificate’s key)',
    'ServerHelloDone',
    'ClientKeyExchange (the client’s one-time key share)',
    'ChangeCipherSpec, Finished (client: a MAC over the transcript, its first encrypted message)',
    'ChangeCipherSpec, Finished (server)',
    'EncryptedRecord (AES-GCM)',
  ],
  noChecksYet: 'None yet: they run as the handshake arrives, link by link up the chain.',
  caNode: { label: 'Heist Issuing CA', caption: 'intermediate CA' },
};

/** With the words only the server says (the debrief, the inspector's words for its records): the browser never loads them. */
export const LEVEL6_TEXTS: LevelTexts = {
  ...LEVEL6_PAGE_TEXTS,
  debriefNote:
    'A chain of trust: the root, kept offline, signed the intermediate; the intermediate signed the bank. The browser builds the path from what the server sends and checks every link — each signature, and that each issuer is a CA (basicConstraints) allowed to sign certificates (keyCertSign), within its path length. A site’s certificate cannot vouch for another, however genuine its signature.',
  wire: 'TLS 1.2 itself (RFC 5246 with RFC 8422’s ECDHE, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), as the RFCs write it: OpenSSL reads it and Wireshark shows it — record → handshake → extensions; the Certificate message carries the whole chain, in the clear.',
  recordFragment: TLS12_RECORD_FRAGMENT,
};
