/**
 * The client's certificate checks, after RFC 5280 §6 path validation cut down to one level
 * (a CA in the trust store signs server certificates directly; real chains have intermediates)
 * and RFC 6125 §6.4 name checking against the subjectAltName DNS names (the commonName is not
 * used, as browsers no longer use it). The browser runs them offline: the CA's public key is
 * already in its store.
 *
 * Every check is reported, passed or failed, in a fixed order, so the client panel and the
 * debrief can show what each check caught. A certificate alone proves nothing about who sent
 * it: that takes proof of the private key, later (decrypting the pre-master secret at level 4, the
 * ServerKeyExchange signature at 4e, CertificateVerify at 5).
 */
import { ecdsaP256Verify } from '../crypto/primitives.ts';
import type { Certificate, KeyType, KeyUsage } from '../messages/types.ts';
import type { CertificateCheckName, CheckResult } from '../round/types.ts';
import { encodeCertificateBody } from './certificate.ts';
import { formatGameTime } from '../codec/time.ts';

export interface TrustAnchor {
  name: string;
  publicKey: Uint8Array;
}

export interface VerifyOptions {
  /** The CAs this client trusts: their names and public keys, installed before the game. */
  trustStore: readonly TrustAnchor[];
  /** The site the client asked for, e.g. bank.example. */
  expectedName: string;
  /** Game time in seconds. */
  now: number;
  expectedKeyType: KeyType;
  expectedUsage: KeyUsage;
}

/** The order checks are reported in. */
export const CERTIFICATE_CHECKS = [
  'issuer',
  'signature',
  'name',
  'notExpired',
  'notYetValid',
  'keyUsage',
] as const satisfies readonly CertificateCheckName[];

/** DNS names compare without regard to case (RFC 4343). */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** ECDSA P-256 over the DER of the to-be-signed part, with the anchor's public key. */
function signedBy(cert: Certificate, anchor: TrustAnchor): boolean {
  let tbs: Uint8Array;
  try {
    tbs = encodeCertificateBody(cert);
  } catch {
    return false; // fields that have no encoding cannot carry a valid signature
  }
  return ecdsaP256Verify(anchor.publicKey, tbs, cert.signature);
}

/** Every check, by name, in `CERTIFICATE_CHECKS` order. Accept only if all passed. */
export function verifyCertificate(cert: Certificate, options: VerifyOptions): CheckResult[] {
  const { trustStore, expectedName, now, expectedKeyType, expectedUsage } = options;
  const anchors = trustStore.filter((a) => a.name === cert.issuer);
  const results: CheckResult[] = [];

  results.push(
    anchors.length > 0
      ? { check: 'issuer', passed: true, detail: `issued by "${cert.issuer}", a CA in your trust store` }
      : { check: 'issuer', passed: false, detail: `unknown issuer "${cert.issuer}" not in your trust store` },
  );

  if (anchors.length === 0) {
    results.push({ check: 'signature', passed: false, blockedBy: 'issuer', detail: 'could not be checked: the issuer is unknown, so there is no public key to check it with' });
  } else if (anchors.some((a) => signedBy(cert, a))) {
    results.push({
      check: 'signature',
      passed: true,
      detail: `good signature: "${cert.issuer}" signed exactly these fields (checked with its public key from your trust store)`,
    });
  } else {
    results.push({
      check: 'signature',
      passed: false,
      detail: `bad signature: these fields were not signed by "${cert.issuer}" — changed after signing, or forged`,
    });
  }

  const names = cert.names.length > 0 ? cert.names.join(', ') : '(no subjectAltName names)';
  results.push(
    cert.names.some((n) => sameName(n, expectedName))
      ? { check: 'name', passed: true, detail: `the certificate is for ${expectedName} (its subjectAltName), the site you asked for` }
      : {
          check: 'name',
          passed: false,
          detail: `name mismatch: certificate is for ${names}, you asked for ${expectedName}`,
        },
  );

  results.push(
    now <= cert.notAfter
      ? { check: 'notExpired', passed: true, detail: `not expired: valid until ${formatGameTime(cert.notAfter)}, it is now ${formatGameTime(now)}` }
      : { check: 'notExpired', passed: false, detail: `expired: valid until ${formatGameTime(cert.notAfter)}, it is now ${formatGameTime(now)}` },
  );

  results.push(
    now >= cert.notBefore
      ? { check: 'notYetValid', passed: true, detail: `already valid: valid from ${formatGameTime(cert.notBefore)}, it is now ${formatGameTime(now)}` }
      : { check: 'notYetValid', passed: false, detail: `not yet valid: valid from ${formatGameTime(cert.notBefore)}, it is now ${formatGameTime(now)}` },
  );

  const usageOk = cert.keyType === expectedKeyType && cert.keyUsage === expectedUsage;
  const kind = (t: KeyType) => (t === 'rsa' ? 'an RSA' : 'a P-256');
  results.push(
    usageOk
      ? { check: 'keyUsage', passed: true, detail: `right key: ${kind(cert.keyType)} key for ${cert.keyUsage}, as this step needs` }
      : {
          check: 'keyUsage',
          passed: false,
          detail: `wrong key usage: this is ${kind(cert.keyType)} key for ${cert.keyUsage}, but this step needs ${kind(expectedKeyType)} key for ${expectedUsage}`,
        },
  );

  return results;
}

/** True when every check passed. */
export function certificateAccepted(results: readonly CheckResult[]): boolean {
  return results.length > 0 && results.every((r) => r.passed);
}

/** The failed checks only: what the client panel leads with. */
export function failedChecks(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => !r.passed);
}
