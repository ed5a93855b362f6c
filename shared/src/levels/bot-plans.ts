/**
 * The one attack each level's bots play — practice, demo and class alike. Each level module
 * reads its `botAttack` from here, so the browser can name the practice attacker without
 * loading any level's machines or cryptography.
 */
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
