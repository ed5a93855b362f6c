/**
 * What an event (basics/events.ts) changes before play, as plain facts the round starts from:
 * - lookalikeDomain: Mallory registered bank-examp1e.example two days ago and the CA, finding
 *   her token there (she does control the name), signed her a certificate for it, with her key of
 *   the kind the level certifies; her message lured Alice there, so that is the name Alice's
 *   browser asks for. Her site relays to the real bank (round/tap.ts, round/proxy.ts).
 * - expiredCertificate: the bank had bank.example certified 93 days ago for the CA's usual 90,
 *   with the right key, and forgot to renew: it starts the round holding that certificate.
 * - encryptionWithoutIntegrity: Alice and the bank hold a key card (an AES-256 key agreed in
 *   advance, so none crosses the Wi-Fi) and their records are AES-CTR without a tag. Alice pays
 *   60, as every month, and the bank's form writes amounts in four digits: Mallory knows her
 *   order ends `amount=0060` — all she needs to make it say `amount=0960` without the key.
 * Times are the round's game clock, passed in: nothing here reads a machine clock.
 */
import { signCertificate } from '../pki/certificate.ts';
import type { Certificate } from '../pki/types.ts';
import type { KeyPair } from '../crypto/primitives.ts';
import type { LevelEvent } from '../basics/events.ts';
import type { BankKey } from '../basics/actions.ts';
import type { LevelPki } from '../levels/types.ts';
import type { PreSharedKey } from '../handshake/types.ts';

/** The look-alike of bank.example she registered (a digit 1 for the letter l). */
export const LOOKALIKE_NAME = 'bank-examp1e.example';

const DAY = 86_400;
/** How long the CA's certificates live (round/parties.ts signs them for the same 90 days, as Let's Encrypt does). */
export const CERTIFICATE_DAYS = 90;
/** The expired event: how many days ago the bank's certificate ran out. */
export const EXPIRED_DAYS_AGO = 3;

/** The event "encryption without integrity": Alice's monthly transfer, as the bank's form writes it (four digits). */
export const MONTHLY_TRANSFER = { amount: 60, amountDigits: 4 } as const;
/** How that order ends, which Mallory knows without reading it, and what she makes it say. */
export const KNOWN_ENDING = { known: `amount=${String(MONTHLY_TRANSFER.amount).padStart(MONTHLY_TRANSFER.amountDigits, '0')}`, wanted: 'amount=0960' } as const;

export interface EventStage {
  /** The name Alice's browser asks for. */
  target: string;
  /** The key card Alice and the bank share (none is sent), and the records it protects. */
  preSharedKey?: PreSharedKey;
  /** The transfer Alice makes, when the event decides it. */
  order?: { amount: number; amountDigits: number };
  /** What Mallory knows of how Alice's order ends, and what she wants it to say. */
  knownEnding?: { known: string; wanted: string };
  /** The certificate the bank starts with (issued long enough ago to have expired). */
  bankCertificate?: Certificate;
  /** The certificate Mallory starts with (for her look-alike name). */
  attackerCertificate?: Certificate;
}

export interface EventInputs {
  event: LevelEvent | undefined;
  pki: LevelPki | undefined;
  bankName: string;
  gameClock: number;
  /** The CA the seat signs with (the root, or its intermediate). */
  issuing: { name: string; keys: KeyPair };
  bankKeys: Record<BankKey, KeyPair>;
  attackerKeys: Record<BankKey, KeyPair>;
  /** Serials for the certificates the event makes, in the CA's series. */
  serial: () => number;
  /** A fresh AES-256 key (drawn only when the event needs one). */
  newKey: () => Uint8Array;
}

function certify(inputs: EventInputs, pki: LevelPki, name: string, keys: Record<BankKey, KeyPair>, notBefore: number): Certificate {
  const spec = pki.certificateKey;
  return signCertificate(
    { serial: BigInt(inputs.serial()), subject: name, issuer: inputs.issuing.name, notBefore, notAfter: notBefore + CERTIFICATE_DAYS * DAY, keyType: spec.keyType, keyUsage: [spec.keyUsage], publicKey: keys[spec.of].publicKey, names: [name], ca: false },
    inputs.issuing.keys.secretKey,
  );
}

export function stageEvent(inputs: EventInputs): EventStage {
  const { event, pki, bankName, gameClock } = inputs;
  if (!event) return { target: bankName };
  switch (event) {
    case 'lookalikeDomain':
      return pki ? { target: LOOKALIKE_NAME, attackerCertificate: certify(inputs, pki, LOOKALIKE_NAME, inputs.attackerKeys, gameClock - 2 * DAY) } : { target: bankName };
    case 'expiredCertificate':
      return pki ? { target: bankName, bankCertificate: certify(inputs, pki, bankName, inputs.bankKeys, gameClock - (CERTIFICATE_DAYS + EXPIRED_DAYS_AGO) * DAY) } : { target: bankName };
    case 'encryptionWithoutIntegrity':
      return { target: bankName, preSharedKey: { key: inputs.newKey(), records: 'gameCtr' }, order: { ...MONTHLY_TRANSFER }, knownEnding: { ...KNOWN_ENDING } };
  }
}
