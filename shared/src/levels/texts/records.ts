/**
 * What the first bytes of an encrypted record are, as the packet inspector says it: the same
 * record header, three different fragments.
 */

/** Levels 2-3 (the game's own construction, handshake/record.ts 'game'). */
export const GAME_RECORD_FRAGMENT =
  "The game's own record: the first 8 bytes are the sequence number, sent in the clear, and the receiver checks it (a replay shows as out of sequence) — real TLS has no such check. Then the ciphertext and a 16-byte AES-GCM tag.";

/** Levels 4 and 4e: RFC 5288 §3 lets the explicit nonce be the sequence number; RFC 5246 §6.2.3.3 puts the receiver's own count in the AAD. */
export const TLS12_RECORD_FRAGMENT =
  'TLS 1.2 (RFC 5288): the first 8 bytes are the explicit nonce, sent in the clear (the sender writes its record count there, as OpenSSL does); then the ciphertext and a 16-byte AES-GCM tag. The receiver counts records itself and puts its count in the tag’s additional data, so a changed, replayed or reordered record fails its tag.';

/** Level 5: RFC 8446 §5.2 (the inner content type) and §5.3 (the per-record nonce: the count XORed into the IV). */
export const TLS13_RECORD_FRAGMENT =
  'TLS 1.3 (RFC 8446 §5.2, §5.3): ciphertext and a 16-byte AES-GCM tag only, the real content type inside. No nonce is sent: both sides count records and mix the count into the nonce, so a changed, replayed or reordered record fails its tag.';
