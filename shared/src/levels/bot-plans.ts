/**
 * The one attack each level's bots play — practice, demo and class alike — and the attack an
 * event switched on plays instead. Each level module reads its `botAttack` from here, so the
 * browser can name the practice attacker without loading any level's machines or cryptography.
 */
import type { LevelEvent } from '../basics/events.ts';
import type { Level } from '../basics/levels.ts';
import type { AttackerBehaviour } from '../basics/roles.ts';

export const BOT_ATTACKS: Readonly<Record<Level, AttackerBehaviour>> = {
  1: 'tamper', // the postcard is read and changed on the way
  2: 'passive', // the key is copied off the wire, the records opened
  3: 'keySubstitution', // her key in place of the bank's
  4: 'fakeCertificate', // a certificate she signed herself
  6: 'passive', // 4e: she records everything; the leaked key opens none of it, as at level 5
  5: 'passive', // she records everything; the leaked key opens none of it
  7: 'ownCertificateAsCa', // 6: her genuine mallory.example certificate signs a bank.example one
};

/**
 * An event whose lesson is an attack of its own: the bot attacker plays it instead of the level's,
 * or a class round with the event and no attacking student would show nothing of it. The other
 * events stage their attack before play (a look-alike name, an installed café root) or are no
 * attack at all (an expired certificate), and keep the level's.
 */
export const EVENT_BOT_ATTACKS: Readonly<Partial<Record<LevelEvent, AttackerBehaviour>>> = {
  encryptionWithoutIntegrity: 'tamper', // she flips the bits that turn the amount into hers
  versionDowngrade: 'tamper', // she crosses TLS 1.3 off Alice's ClientHello
  earlyDataReplay: 'replay', // she sends the bank a copy of Alice's first flight
  hstsFirstVisit: 'strip', // she answers Alice's first http:// request herself
  hstsReturningVisit: 'strip', // the same, where what Alice's browser remembered has run out
  hstsSubdomain: 'strip', // the same, at the login page an entry without includeSubDomains does not cover
  certificateTransparency: 'fraudulentCsr', // she asks the CA for a bank.example certificate: a sloppy one signs, and the log shows it
  leakedKeyRevocation: 'fakeCertificate', // she shows Alice the bank's own certificate, whose key leaked to her
};

/** The attack the bots play in a round of `level` with `event` on. */
export function botAttackFor(level: Level, event?: LevelEvent): AttackerBehaviour {
  return (event && EVENT_BOT_ATTACKS[event]) ?? BOT_ATTACKS[level];
}
