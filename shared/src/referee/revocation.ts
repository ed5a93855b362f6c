/**
 * The leaked-key event's verdicts and the CA's points for its answer: where Mallory's gateway
 * showed the bank's certificate whose key leaked, what decided the round — the CA's answer to
 * the bank's request, and whether Alice's browser insisted on a good stapled OCSP answer.
 */
import { gameTime, type Round } from '../round/state.ts';
import { formatGameTime } from '../codec/time.ts';
import type { Outcome } from '../round/result.ts';
import { EVENT_VERDICTS } from '../levels/texts/events.ts';
import { CA_DECISION_POINTS } from './points.ts';

const DAY = 86_400;

/** Mallory's gateway showed Alice the certificate whose key leaked to her. */
function showedStolen(round: Round): boolean {
  const stolen = round.ca.revocation?.certificate;
  const shown = round.attacker.proxy?.downstream?.config.certificate;
  return !!stolen && !!shown && shown.serial === stolen.serial && shown.subject === stolen.subject;
}

/** Alice completed her handshake with Mallory's gateway showing the stolen certificate: why it got through. */
export function leakedKeyImpersonation(round: Round): string | undefined {
  const r = round.ca.revocation;
  if (!r || !showedStolen(round)) return undefined;
  const serial = String(r.certificate.serial);
  if (r.decision === 'revoked') return EVENT_VERDICTS.leakedKeySoftFail(serial);
  return EVENT_VERDICTS.leakedKeyNotRevoked(serial, r.decision === 'refused' ? EVENT_VERDICTS.leakedKeyCaRefused : EVENT_VERDICTS.leakedKeyNotAnswered);
}

/** Alice's browser refused the stolen certificate on its revocation check: the words that say so. */
export function leakedKeyCaught(round: Round): { outcome: Outcome; why: string } | undefined {
  const r = round.ca.revocation;
  const failure = round.client.failure;
  if (!r || !showedStolen(round) || failure?.reason !== 'certificateRejected') return undefined;
  const revocation = failure.checks.find((c) => c.check === 'revocation' && !c.passed && !c.blockedBy);
  return revocation ? { outcome: 'attackDetected', why: EVENT_VERDICTS.leakedKeyCaught(String(r.certificate.serial), revocation.detail) } : undefined;
}

/** The leaked-key event's debrief note: what a short-lived certificate would change, on this round's dates. */
export function shortLivedNote(round: Round): string | undefined {
  const stolen = round.ca.revocation?.certificate;
  if (!stolen) return undefined;
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
