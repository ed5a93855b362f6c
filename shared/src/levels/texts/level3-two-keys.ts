import { GAME_RECORD_FRAGMENT } from './records.ts';
import type { LevelPageTexts, LevelTexts } from './types.ts';

export const LEVEL3_PAGE_TEXTS: LevelPageTexts = {
  label: '3',
  title: 'Two keys',
  concept: 'Public-key encryption without a CA',
  briefing: {
    summary: 'The bank sends its public key; Alice’s browser seals a fresh session key to it, so only the matching private key can open it. But nothing says whose key arrived.',
    firstSteps: {
      client: 'Connect; when the key’s fingerprint appears, use it or abort.',
      server: 'Send your public key, then receive the order.',
      ca: 'No CA yet: watch.',
      attacker: 'Before Alice connects, choose “Present as the bank: her own key”.',
    },
    more: [
      'Here “encrypt to the server’s public key” is X25519-based (level 4 will encrypt to an RSA key): the browser makes a one-time key pair, agrees a shared secret with the server’s public key, derives a key-encryption key from it and seals the session key with AES-GCM.',
      'Mallory’s proxy swaps in her own key, opens the session key, seals a new one to the real bank and relays both ways: a working man-in-the-middle. Her key’s fingerprint looks like any other: without a trusted record of the bank’s real one, Alice cannot tell.',
      'Records carry the game’s own visible sequence check, as at level 2.',
    ],
  },
  steps: ['ClientHello (asks for the key)', 'ServerPublicKey (bare, unsigned)', 'SealedKey (session key sealed to that key)', 'EncryptedRecord: request', 'EncryptedRecord: response'],
  noChecksYet: 'None yet: a bare public key carries nothing to check — no certificate, no signature. Each record’s AES-GCM tag is checked as it arrives.',
};

/** With the words only the server says (the debrief, the inspector's words for its records): the browser never loads them. */
export const LEVEL3_TEXTS: LevelTexts = {
  ...LEVEL3_PAGE_TEXTS,
  debriefNote: 'Public-key encryption keeps the session key secret — from everyone but the holder of the key you used. Nothing told the client whose key that was.',
  unprotected: 'nothing proved whose public key the browser used: a man in the middle would have gone unnoticed',
  wire: 'Not TLS: the game’s own construction. The record borrows TLS’s 5-byte header, then carries an 8-byte sequence number and AES-256-GCM under the game’s own suite (0xFF01), keyed by a secret sealed to a bare X25519 key. Real TLS checks whose key that is, with a certificate.',
  recordFragment: GAME_RECORD_FRAGMENT,
};
