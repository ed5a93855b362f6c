/**
 * What the CA's records hold from before the round: the certificates it signed then (the
 * leaked-key event: the bank's old one, whose key leaked and which the bank asked it to revoke,
 * and the bank's new one). A request for one of their names shows them among its evidence, so
 * the CA reads, beside Mallory's request for bank.example, the certificate it is being asked to
 * revoke — and that her request carries the very key that leaked.
 */
import { toHex } from '../codec/bytes.ts';
import { gameTime, type CsrRecord, type Round } from './state.ts';
import { ADDRESSES } from './world.ts';
import type { CsrEvidence } from './types.ts';

const HOUR = 3600;

function ago(seconds: number): string {
  const hours = Math.max(1, Math.round(seconds / HOUR));
  return hours < 48 ? `${hours} hour${hours === 1 ? '' : 's'} ago` : `${Math.round(hours / 24)} days ago`;
}

/** Where a revocation request is, as the CA's own records say it. */
function revocationWords(decision: 'pending' | 'revoked' | 'refused'): string {
  if (decision === 'pending') return 'you have not answered yet';
  return decision === 'revoked' ? 'you revoked it' : 'you refused';
}

/** The certificates the CA signed before the round for the name a request asks for (the bank ordered each). */
export function earlierCertificates(round: Round, r: CsrRecord): CsrEvidence[] {
  const name = r.csr.subject.toLowerCase();
  const key = toHex(r.csr.publicKey);
  const revocation = round.ca.revocation;
  return (round.ca.signedBefore ?? [])
    .filter((c) => c.subject.toLowerCase() === name || c.names.some((n) => n.toLowerCase() === name))
    .map((c) => {
      const sameKey = toHex(c.publicKey) === key;
      const revoking = revocation !== undefined && revocation.certificate.serial === c.serial;
      const what = `before this round you signed a certificate for ${c.subject} (serial ${c.serial}, ${ago(gameTime(round) - c.notBefore)}, asked from ${ADDRESSES.server}), for ${sameKey ? 'the same public key as this request' : 'another key'}`;
      const asked = revoking ? `; the bank asked you to revoke it ${ago(gameTime(round) - revocation.requestedAt)} (keyCompromise: its private key leaked) — ${revocationWords(revocation.decision)}` : '';
      return { kind: 'signedBefore' as const, detail: `${what}${asked}`, notable: r.requester !== 'server' || (sameKey && revoking) };
    });
}
