/**
 * The leaked-key event's revocation: the bank's request waits for the CA seat, which revokes the
 * certificate or refuses; the CA's OCSP responder (public: anyone may ask it) then says good or
 * revoked. Mallory's gateway asks it too: while the answer is good she staples it, as the bank
 * would; once it says revoked she staples nothing and counts on a soft-fail browser.
 */
import { signOcspResponse, type OcspStatus } from '../pki/ocsp.ts';
import { certificateFields } from '../pki/certificate-fields.ts';
import type { Certificate } from '../messages/types.ts';
import { EVERYONE, gameTime, log, type RevocationRequest, type Round } from './state.ts';
import { ADDRESSES } from './world.ts';
import type { RevocationRequestView, RevocationStatusView, StolenValidity } from './types.ts';

const DAY = 86_400;

/** What the CA's responder says of `certificate` now. */
export function ocspStatus(round: Round, certificate: Pick<Certificate, 'serial'>): OcspStatus {
  const r = round.ca.revocation;
  return r?.decision === 'revoked' && r.revokedAt !== undefined && r.certificate.serial === certificate.serial ? { kind: 'revoked', at: r.revokedAt } : { kind: 'good' };
}

/** The CA seat's answer to the bank's request. */
export function answerRevocation(round: Round, revoke: boolean): void {
  const r = round.ca.revocation;
  if (!r || r.decision !== 'pending') return;
  const serial = r.certificate.serial;
  if (revoke) {
    r.decision = 'revoked';
    r.revokedAt = gameTime(round);
    log(round, 'ca', `Revoked certificate ${serial} for ${r.certificate.subject} (key compromise): the CA's OCSP responder now answers "revoked" for it.`, EVERYONE, 'success');
    return;
  }
  r.decision = 'refused';
  log(round, 'ca', `Refused to revoke certificate ${serial} for ${r.certificate.subject}: the CA's OCSP responder still answers "good" for it.`, EVERYONE, 'warning');
}

/**
 * What Mallory's gateway staples for the certificate it shows: where it is the one whose key
 * leaked, the CA's answer while it is good (fetched now, as the bank fetches its own), nothing
 * once it is revoked. Other certificates: nothing (the CA never issued them to her).
 */
export function gatewayStaple(round: Round, certificate: Certificate): { ocspStaple: Uint8Array } | Record<string, never> {
  const stolen = round.ca.revocation?.certificate;
  if (!stolen || stolen.serial !== certificate.serial || stolen.subject !== certificate.subject) return {};
  const status = ocspStatus(round, stolen);
  if (status.kind === 'revoked') {
    log(round, 'attacker', `The CA's OCSP responder says certificate ${stolen.serial} is revoked: your gateway staples no answer, and hopes Alice's browser does not insist on one.`, ['attacker'], 'warning');
    return {};
  }
  log(round, 'attacker', `The CA's OCSP responder still says certificate ${stolen.serial} is good: your gateway staples that answer, as the bank would.`, ['attacker'], 'success');
  return { ocspStaple: signOcspResponse(stolen, round.ca.issuing, status, gameTime(round)) };
}

/** A bank that staples (the leaked-key event), holding a new certificate: the CA's answer on that one, fetched now. */
export function bankStaple(round: Round, certificate: Certificate): { ocspStaple?: Uint8Array } {
  if (!round.server.config.ocspStaple) return {};
  return { ocspStaple: signOcspResponse(certificate, round.ca.issuing, ocspStatus(round, certificate), gameTime(round)) };
}

/** The stolen certificate's dates, now: what the CA's and Mallory's panels say of it. */
function validityOf(round: Round, certificate: Certificate): StolenValidity {
  const now = gameTime(round);
  if (now <= certificate.notAfter) return { kind: 'valid', daysLeft: Math.floor((certificate.notAfter - now) / DAY) };
  return { kind: 'expired', daysAgo: Math.floor((now - certificate.notAfter) / DAY), lifetimeHours: Math.round((certificate.notAfter - certificate.notBefore) / 3600) };
}

/** The CA seat's view of the bank's request: who asks (an address), why, and what it can check. */
export function revocationRequestView(round: Round): { revocation?: RevocationRequestView } {
  const r = round.ca.revocation;
  if (!r) return {};
  return {
    revocation: {
      ...statusOf(r),
      validity: validityOf(round, r.certificate),
      requester: ADDRESSES.server,
      reason: 'keyCompromise: “our private key leaked; we run on a new key and certificate since this morning”',
      requestedAt: r.requestedAt,
      proof: [
        { what: 'sent from the ACME account that ordered this certificate', holds: true },
        { what: 'signed with the certificate’s own private key (RFC 8555 §7.6): whoever sent it holds that key', holds: true },
      ],
      fields: certificateFields(r.certificate),
    },
  };
}

function statusOf(r: RevocationRequest): RevocationStatusView {
  return { subject: r.certificate.subject, serial: String(r.certificate.serial), decision: r.decision };
}

/** The bank's view: its old certificate's fate, and that it staples the CA's answer on its new one. */
export function bankRevocationView(round: Round): { revocation?: RevocationStatusView & { stapling: boolean } } {
  const r = round.ca.revocation;
  return r ? { revocation: { ...statusOf(r), stapling: round.server.config.ocspStaple !== undefined } } : {};
}

/** Mallory's view: the certificate whose key she holds, and what the CA's public responder says of it. */
export function stolenCertificateView(round: Round): { leakedKey?: { subject: string; serial: string; revoked: boolean; validity: StolenValidity } } {
  const r = round.ca.revocation;
  return r ? { leakedKey: { subject: r.certificate.subject, serial: String(r.certificate.serial), revoked: ocspStatus(round, r.certificate).kind === 'revoked', validity: validityOf(round, r.certificate) } } : {};
}
