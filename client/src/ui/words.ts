/** The words the panels use for the contract's codes. Every verdict comes from the view; these only name it. */
import { OUTCOME_TITLES, type ConnectionVerdict, type Endpoint, type KeyType, type KeyUsage, type Outcome, type ParcelLook, type ParcelView, type Role } from '../shared.ts';
import { ROLE_INFO } from '../content/levels.ts';
import { checkName } from './panels/checks.ts';

export const LOOK_WORDS: Record<ParcelLook, string> = {
  postcard: '✉ postcard (readable)',
  lockedBox: '■ locked box (encrypted)',
  signed: '✍ signed (anyone can read it; any change breaks the signature)',
};

/** Where a packet is, in words (the view's code never reaches the page). */
export const STATUS_WORDS: Record<ParcelView['status'], string> = {
  inFlight: 'on the wire',
  held: 'held at the tap',
  delivered: 'delivered',
  dropped: 'dropped',
};

/** A key as a certificate states it, in words: its type, and what it may be used for. */
export function keyWords(type: KeyType, usage: KeyUsage): string {
  const kind = type === 'rsa' ? 'an RSA-2048 key' : 'an ECDSA P-256 key';
  const use =
    usage === 'keyEncipherment' ? 'keyEncipherment: a browser encrypts a secret to it' : usage === 'keyCertSign' ? 'keyCertSign: a CA signs certificates with it' : 'digitalSignature: its owner signs with it';
  return `${kind}, for ${use}`;
}

export function endpointName(e: Endpoint): string {
  return e === 'attacker' ? 'Mallory' : e === 'client' ? 'Alice' : e === 'server' ? 'bank' : 'CA';
}

export function roleName(role: Role): string {
  return ROLE_INFO[role].name;
}

export type Tone = 'good' | 'bad' | 'neutral';

export const OUTCOME_WORDS: Record<Outcome, { icon: string; title: string; tone: Tone }> = {
  secure: { icon: '✔', title: OUTCOME_TITLES.secure, tone: 'good' },
  unprotected: { icon: '◌', title: OUTCOME_TITLES.unprotected, tone: 'neutral' },
  exposed: { icon: '👁', title: OUTCOME_TITLES.exposed, tone: 'bad' },
  eavesdropped: { icon: '✘', title: OUTCOME_TITLES.eavesdropped, tone: 'bad' },
  tampered: { icon: '✂', title: OUTCOME_TITLES.tampered, tone: 'bad' },
  impersonated: { icon: '☠', title: OUTCOME_TITLES.impersonated, tone: 'bad' },
  attackDetected: { icon: '⚑', title: OUTCOME_TITLES.attackDetected, tone: 'good' },
  misconfigured: { icon: '⚙', title: OUTCOME_TITLES.misconfigured, tone: 'neutral' },
  keyRefused: { icon: '✋', title: OUTCOME_TITLES.keyRefused, tone: 'neutral' },
  falseAlarm: { icon: '⚠', title: OUTCOME_TITLES.falseAlarm, tone: 'bad' },
  timedOut: { icon: '○', title: OUTCOME_TITLES.timedOut, tone: 'bad' },
};

/**
 * Each outcome in one plain sentence, for a 15-year-old, before the referee's reasons (which
 * name the TLS messages and checks). True of every round that ends so: the referee's order
 * (shared/src/referee/referee.ts) puts harm first, so "caught" always means before any harm.
 */
export const OUTCOME_PLAIN: Record<Outcome, string> = {
  secure: 'Alice’s PIN and transfer reached the real bank, and Mallory could neither read nor change them.',
  unprotected: 'The transfer got through unharmed this time, but nothing here would have stopped Mallory.',
  exposed: 'Mallory could read everything on the way, but she did not prove it by sending in the PIN.',
  eavesdropped: 'Mallory read Alice’s PIN on the way, and proved it.',
  tampered: 'Mallory changed or repeated a message, and it was accepted as if nothing had happened.',
  impersonated: 'Alice talked to Mallory, thinking she was the bank.',
  attackDetected: 'Mallory attacked, and a check caught her: the connection stopped before any harm was done.',
  misconfigured: 'The bank’s own certificate was wrong, so Alice’s browser rightly stopped: no attacker was needed.',
  keyRefused: 'Alice refused a key nothing could vouch for: right, even though nobody had swapped it this time.',
  falseAlarm: 'Someone stopped the connection, but nothing was wrong.',
  timedOut: 'Time ran out before the transfer was done.',
};

/** A connection verdict in words, and whether it reads as good, bad or neither (never colour alone). */
export function connectionWords(c: ConnectionVerdict): { text: string; tone: Tone } {
  switch (c.kind) {
    case 'none':
      return { text: 'Not connected', tone: 'neutral' };
    case 'handshaking':
      return { text: 'Handshake in progress…', tone: 'neutral' };
    case 'awaitingDecision':
      return { text: 'Your decision is needed', tone: 'neutral' };
    case 'secure':
      return { text: 'Secure: a protected session, and every check passed', tone: 'good' };
    case 'unverified':
      return { text: `Not secure: you went on although ${c.failed.length} check${c.failed.length > 1 ? 's' : ''} failed (${c.failed.map(checkName).join('; ')})`, tone: 'bad' };
    case 'plainHttp':
      return { text: 'Not secure: plain HTTP, readable and changeable by anyone on the way', tone: 'bad' };
    case 'keyInTheClear':
      return { text: 'Encrypted, but the key crossed the wire in the clear: not secure', tone: 'bad' };
    case 'noIntegrity':
      return { text: 'Encrypted with a key agreed in advance, but nothing checks the records (no tag): not secure', tone: 'bad' };
    case 'unauthenticatedKey':
      return { text: 'Encrypted, but nothing proved whose key it was: not secure', tone: 'bad' };
    case 'protected':
      return { text: 'Protected session (TLS proves the bank to the client; the bank cannot tell who the client is)', tone: 'good' };
    case 'closed':
      if (!c.byUs) return { text: `Closed by the other side: ${c.detail}`, tone: 'neutral' };
      return c.detection ? { text: `Closed: a check failed — ${c.detail}`, tone: 'good' } : { text: `Closed: ${c.detail}`, tone: 'neutral' };
  }
}
