/**
 * The leaked-key event's verdicts and the CA's points for its answer: where Mallory's gateway
 * showed the bank's certificate whose key leaked, what decided the round — the CA's answer to
 * the bank's request, and whether Alice's browser insisted on a good stapled OCSP answer — or,
 * at a bank with short-lived certificates, that the stolen one had run out before the round.
 */
import { gameTime, type Round } from '../round/state.ts';
import { formatGameTime } from '../codec/time.ts';
import type { Outcome } from '../round/result.ts';
import { EVENT_VERDICTS } from '../levels/texts/events.ts';
import { CA_DECISION_POINTS } from './points.ts';
import { failedCertificateChecks } from '../handshake/failures.ts';
import type { Certificate } from '../pki/types.ts';

const DAY = 86_400;

/** Mallory's gateway showed Alice the certificate whose key leaked to her. */
function showedStolen(round: Round): boolean {
  const stolen = round.ca.revocation?.certificate;
  const shown = round.attacker.proxy?.downstream?.config.certificate;
  return !!stolen && !!shown && shown.serial === stolen.serial && shown.subject === stolen.subject;
}

/** The stolen certificate's lifetime in hours, and how many whole days before now it ran out (undefined while it is valid). */
function stolenDates(round: Round, stolen: Certificate): { hours: number; daysAgo?: number } {
  const hours = Math.round((stolen.notAfter - stolen.notBefore) / 3600);
  const now = gameTime(round);
  return now > stolen.notAfter ? { hours, daysAgo: Math.floor((now - stolen.notAfter) / DAY) } : { hours };
}

/** Alice completed her handshake with Mallory's gateway showing the stolen certificate: why it got through. */
export function leakedKeyImpersonation(round: Round): string | undefined {
  const r = round.ca.revocation;
  if (!r || !showedStolen(round)) return undefined;
  const serial = String(r.certificate.serial);
  // A short-lived certificate had run out: her browser said so, and she clicked through.
  const { hours, daysAgo } = stolenDates(round, r.certificate);
  if (daysAgo !== undefined && failedCertificateChecks(round.client.checks).includes('notExpired')) return EVENT_VERDICTS.leakedKeyExpiredClickedThrough(serial, hours, daysAgo);
  if (r.decision === 'revoked') return EVENT_VERDICTS.leakedKeySoftFail(serial);
  return EVENT_VERDICTS.leakedKeyNotRevoked(serial, r.decision === 'refused' ? EVENT_VERDICTS.leakedKeyCaRefused : EVENT_VERDICTS.leakedKeyNotAnswered);
}

/** Alice's browser refused the stolen certificate on its revocation check: the words that say so. */
export function leakedKeyCaught(round: Round): { outcome: Outcome; why: string } | undefined {
  const r = round.ca.revocation;
  const failure = round.client.failure;
  if (!r || !showedStolen(round) || failure?.reason !== 'certificateRejected') return undefined;
  // A short-lived certificate had run out: the date check every browser runs refused it, whatever the CA answered.
  const { hours, daysAgo } = stolenDates(round, r.certificate);
  const expired = failure.checks.find((c) => c.check === 'notExpired' && !c.passed && !c.blockedBy);
  if (expired && daysAgo !== undefined) return { outcome: 'attackDetected', why: EVENT_VERDICTS.leakedKeyExpired(String(r.certificate.serial), hours, daysAgo, expired.detail) };
  const revocation = failure.checks.find((c) => c.check === 'revocation' && !c.passed && !c.blockedBy);
  return revocation ? { outcome: 'attackDetected', why: EVENT_VERDICTS.leakedKeyCaught(String(r.certificate.serial), revocation.detail) } : undefined;
}

/** The leaked-key event's debrief note: what a short-lived certificate would change (or changed), on this round's dates. */
export function shortLivedNote(round: Round): string | undefined {
  const stolen = round.ca.revocation?.certificate;
  if (!stolen) return undefined;
  const { hours, daysAgo } = stolenDates(round, stolen);
  if (daysAgo !== undefined) return `${EVENT_VERDICTS.leakedKeyShortLivedPlayed(hours, formatGameTime(stolen.notAfter), daysAgo)}.`;
  const lifetime = Math.round((stolen.notAfter - stolen.notBefore) / DAY);
  const left = Math.floor((stolen.notAfter - gameTime(round)) / DAY);
  return `${EVENT_VERDICTS.leakedKeyShortLived(lifetime, formatGameTime(stolen.notAfter), left)}.`;
}

/** The CA's points for its answer: revoking a leaked key's certificate for its owner is its job; refusing leaves the key working for the thief. */
export function revocationPoints(round: Round): number {
  switch (round.ca.revocation?.decision) {
    case 'revoked':
      return CA_DECISION_POINTS.revokedLeakedKey;
    case 'refused':
      return CA_DECISION_POINTS.refusedRevocation;
    case 'pending':
    case undefined:
      return 0;
  }
}
