/**
 * The browser's side of Certificate Transparency (pki/ct.ts has RFC 6962's formats): rebuild
 * the precertificate entry a log signed from the certificate received, and check its SCTs.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Extensions, TBSCertificate } from '@peculiar/asn1-x509';
import { toHex } from '../codec/bytes.ts';
import { formatGameTime } from '../codec/time.ts';
import type { CheckResult } from '../basics/checks.ts';
import { decodeSctList, logIdOf, spkiHash, verifySct, type CtLogKey, type PrecertEntry, type Sct } from './ct.ts';
import type { KeyType } from './types.ts';
import { EXT_OID } from './oids.ts';
import type { X509 } from './x509.ts';
import type { PathValidation } from './path.ts';

/**
 * The browser's Certificate Transparency check (as Chrome's and Safari's policies require, here
 * one SCT): the leaf carries an SCT from a log it knows whose signature verifies over the leaf's
 * precertificate entry — its TBSCertificate without the SCT extension, and its issuer's key hash.
 * Without the issuer's key (no path to a CA) the entry cannot be rebuilt, so the check cannot pass.
 */
export function sctCheck(leaf: X509, issuerKey: { keyType: KeyType | 'p384'; publicKey: Uint8Array } | undefined, logs: readonly CtLogKey[]): CheckResult {
  const fail = (detail: string): CheckResult => ({ check: 'certificateTransparency', passed: false, detail });
  if (!leaf.scts) return fail(`no signed certificate timestamp (SCT): ${leaf.subject.commonName ?? leaf.subject.text} was never shown to a public Certificate Transparency log, and this browser requires one`);
  let scts: Sct[];
  try {
    scts = decodeSctList(leaf.scts);
  } catch {
    return fail('its SCT list does not decode: no valid signed certificate timestamp');
  }
  if (!issuerKey) return fail('no issuer key to check its SCTs against: the entry a log signed names its issuer');
  const entry: PrecertEntry = { issuerKeyHash: spkiHash(issuerKey.keyType, issuerKey.publicKey), tbsCertificate: tbsWithoutScts(leaf) };
  for (const sct of scts) {
    const log = logs.find((l) => toHex(logIdOf(l.publicKey)) === toHex(sct.logId));
    if (log && verifySct(sct, log, entry)) return { check: 'certificateTransparency', passed: true, detail: `logged: an SCT from ${log.name}, signed ${formatGameTime(Math.floor(sct.timestamp / 1000))}, verifies — anyone watching the log can see this certificate` };
  }
  return fail(`none of its ${scts.length} SCT(s) is a valid signature from a log this browser knows`);
}

/** §3.2: the TBSCertificate as the precertificate had it — the certificate's own, with the SCT list extension removed. */
export function tbsWithoutScts(x: X509): Uint8Array {
  const tbs = AsnConvert.parse(x.tbs, TBSCertificate);
  if (tbs.extensions) {
    const kept = tbs.extensions.filter((e) => e.extnID !== EXT_OID.ctPrecertificateScts);
    tbs.extensions = kept.length > 0 ? new Extensions(kept) : undefined;
  }
  return new Uint8Array(AsnConvert.serialize(tbs));
}

/** The CT check on a validated path: the leaf's SCTs against the entry its issuer's key makes; with no path to a CA, it cannot run. */
export function pathTransparencyCheck(validation: PathValidation | string, logs: readonly CtLogKey[]): CheckResult {
  if (typeof validation === 'string' || !validation.anchor) return { check: 'certificateTransparency', passed: false, detail: 'not checked: no path to a CA this browser trusts', blockedBy: 'issuer' };
  const [leaf, issuer] = validation.steps;
  const key = issuer?.certificate.key;
  const issuerKey = !issuer ? { keyType: validation.anchor.keyType ?? 'p256', publicKey: validation.anchor.publicKey } : key?.kind === 'ec' && key.curve === 'P-256' ? { keyType: 'p256' as const, publicKey: key.point } : undefined;
  return sctCheck(leaf!.certificate, issuerKey, logs);
}
