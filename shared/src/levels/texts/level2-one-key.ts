import { GAME_RECORD_FRAGMENT } from './records.ts';
import type { LevelPageTexts, LevelTexts } from './types.ts';

export const LEVEL2_PAGE_TEXTS: LevelPageTexts = {
  label: '2',
  title: 'One key',
  concept: 'Symmetric encryption (AES-256-GCM)',
  briefing: {
    summary: 'Records are now encrypted with AES-256-GCM: unreadable without the key, and any change breaks their tag. But the bank needs the same key, so Alice’s browser sends it first — in the clear.',
    firstSteps: {
      client: 'Connect, then send your PIN and transfer.',
      server: 'Receive the key, then the order.',
      ca: 'Nothing to sign yet: watch.',
      attacker: 'Open the KeyTransport packet, copy the key, and try it on the encrypted records.',
    },
    more: [
      'Whoever copies the key can decrypt — and re-seal — everything that follows: the tag proves only that the sender held the key.',
      'A key card agreed in advance (a pre-shared key) would be secure, but every pair of people would need its own card: it does not scale to the web.',
      'Each record starts with its sequence number, which the receiver checks, so a replayed record is refused. That check is the game’s own: in real TLS each side counts records itself, and the count goes into the tag (see level 4).',
    ],
  },
  steps: ['KeyTransport (the AES key, readable!)', 'EncryptedRecord: request (AES-GCM)', 'EncryptedRecord: response'],
  noChecksYet: 'None yet: each encrypted record’s AES-GCM tag is checked as it arrives. Nothing checks who received the key.',
};

/** With the words only the server says (the debrief, the inspector's words for its records): the browser never loads them. */
export const LEVEL2_TEXTS: LevelTexts = {
  ...LEVEL2_PAGE_TEXTS,
  debriefNote: 'AES-GCM is strong, but the key crossed the wire in the clear: whoever copied it can read and re-seal every record.',
  unprotected: 'the AES key crossed the Wi-Fi in the clear: anyone who copied it could have read and re-sealed every record',
  wire: 'Not TLS: the game’s own construction. The record borrows TLS’s 5-byte header, then carries an 8-byte sequence number and AES-256-GCM under the game’s own suite (0xFF01); the key itself crossed the Wi-Fi in the game’s own frame. Real TLS never sends its key.',
  recordFragment: GAME_RECORD_FRAGMENT,
};
