/**
 * Revocation, as a browser checks it in the handshake (the leaked-key event): it asks for the
 * server's stapled OCSP answer (status_request in the ClientHello, RFC 6066 §8) and reads the
 * one in the certificate's entry (RFC 8446 §4.4.2.1; pki/ocsp.ts judges it). What it does
 * without one is the browser's policy:
 * - hard-fail (Firefox with security.OCSP.require, or any browser for a must-staple certificate,
 *   RFC 7633): no good answer, no connection;
 * - soft-fail (the browsers' default): no staple, so it asks the CA's responder itself — over the
 *   network the attacker runs, who drops that question — and, hearing nothing, goes on. Browsers
 *   soft-fail because a responder that is down would otherwise take half the web down with it.
 * A revoked answer that does arrive stops either browser. A short-lived certificate (a lifetime
 * under 10 days: Firefox's security.pki.cert_short_lifetime_in_days) needs no answer: its
 * own dates stop a stolen one within days, so neither browser asks (a stapled one is still read).
 */
import { formatGameTime } from '../codec/time.ts';
import type { CheckResult } from '../basics/checks.ts';
import { judgeStaple } from '../pki/ocsp.ts';
import type { MessageOf } from '../messages/types.ts';
import type { ClientConfig, HandshakeContext, RevocationPolicy } from './types.ts';

/** Under this lifetime a certificate counts as short-lived and is not checked for revocation (Firefox's default for security.pki.cert_short_lifetime_in_days). */
export const SHORT_LIFETIME_DAYS = 10;

/** The revocation check on a Certificate message, for a browser that checks revocation. */
export function checkRevocation(message: MessageOf<'Certificate'>, trustStore: ClientConfig['trustStore'], { hardFail }: RevocationPolicy, ctx: HandshakeContext): CheckResult {
  const cert = message.certificate;
  // The CA that signed the certificate signs its OCSP answers (RFC 6960 §4.2.2.2): a root in the store, or the intermediate sent after it (level 6).
  const issuer = trustStore.find((a) => a.name === cert.issuer) ?? message.chain.find((c) => c.subject === cert.issuer && c.ca);
  const issuerKey = issuer && { name: 'name' in issuer ? issuer.name : issuer.subject, publicKey: issuer.publicKey };
  if (!issuerKey) return { check: 'revocation', passed: false, blockedBy: 'issuer', detail: 'no OCSP answer can be checked without a CA the browser trusts' };
  const missing = hardFail
    ? 'no OCSP answer stapled, and this browser requires one (hard-fail): it refuses the certificate'
    : 'no OCSP answer stapled: the browser asked the CA’s responder itself, heard nothing back over this network, and went on anyway (soft-fail)';
  const lifetimeHours = Math.round((cert.notAfter - cert.notBefore) / 3600);
  if (!message.ocspStaple && cert.notAfter - cert.notBefore < SHORT_LIFETIME_DAYS * 86_400) {
    return { check: 'revocation', passed: true, detail: `no OCSP answer needed: a ${lifetimeHours}-hour certificate is short-lived (under ${SHORT_LIFETIME_DAYS} days), so its own dates do the job — the browser does not ask` };
  }
  if (!message.ocspStaple) return { check: 'revocation', passed: !hardFail, detail: missing };
  const verdict = judgeStaple(message.ocspStaple, cert, issuerKey, ctx.gameTime);
  switch (verdict.kind) {
    case 'good':
      return { check: 'revocation', passed: true, detail: `${issuerKey.name}'s OCSP answer, stapled: good (signed ${formatGameTime(verdict.answer.thisUpdate)})` };
    case 'revoked':
      return { check: 'revocation', passed: false, detail: `${issuerKey.name}'s OCSP answer, stapled: REVOKED since ${formatGameTime(verdict.at)} (key compromise)` };
    case 'unusable':
      return { check: 'revocation', passed: !hardFail, detail: `the stapled OCSP answer is unusable: ${verdict.why}${hardFail ? '; this browser requires a good one (hard-fail)' : '; the browser went on without it (soft-fail)'}` };
  }
}

/** Whether a failed check is a revocation the browser lets nobody click through (Chrome's ERR_CERT_REVOKED, Firefox's missing required OCSP answer). */
export function revocationRefused(checks: readonly CheckResult[]): boolean {
  return checks.some((c) => c.check === 'revocation' && !c.passed && !c.blockedBy);
}
