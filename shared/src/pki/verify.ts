/**
 * The client's certificate checks: RFC 5280 §6 path validation from the server's certificate
 * through the intermediates it sent to a CA in the browser's trust store (path.ts), and
 * RFC 6125 §6.4 name checking against the subjectAltName names (the commonName is not used,
 * as browsers no longer use it). The browser runs them offline: the CA's public key is already
 * in its store.
 *
 * Every check is reported, passed or failed, in a fixed order (`CERTIFICATE_CHECKS`), so the
 * client panel and the debrief can show what each check caught; `validateCertificatePath` also
 * gives each step of the path with its own checks, for the inspector. A certificate alone
 * proves nothing about who sent it: that takes proof of the private key, later (decrypting the
 * pre-master secret at level 4, the ServerKeyExchange signature at 4e, CertificateVerify at 5).
 */
import { CodecError } from '../codec/reader.ts';
import type { Certificate } from './types.ts';
import type { CheckResult } from '../basics/checks.ts';
import { x509Of } from './certificate.ts';
import { validatePath, type PathOptions, type PathValidation } from './path.ts';
import type { X509 } from './x509.ts';

export interface VerifyOptions extends PathOptions {
  /** The CA certificates the server sent after its own (TLS's certificate_list, RFC 8446 §4.4.2). */
  chain?: readonly Certificate[];
}

/** The certificates as X.509, or the reason one has no DER (a field the attacker set to something X.509 cannot carry). */
function readAll(certs: readonly Certificate[]): X509[] | string {
  try {
    return certs.map(x509Of);
  } catch (e) {
    if (e instanceof CodecError) return e.message;
    throw e;
  }
}

/** The whole path validation: each step with its checks, the anchor reached, and every check over the path. */
export function validateCertificatePath(cert: Certificate, options: VerifyOptions): PathValidation | string {
  const all = readAll([cert, ...(options.chain ?? [])]);
  if (typeof all === 'string') return all;
  const [leaf, ...rest] = all;
  return validatePath(leaf!, rest, options);
}

/** The checks of a validation; a certificate whose fields have no encoding fails its signature (nobody can have signed them). */
export function checksOf(v: PathValidation | string): CheckResult[] {
  return typeof v === 'string' ? [{ check: 'signature', passed: false, detail: `bad signature: these fields have no X.509 encoding (${v}), so nobody signed them` }] : v.checks;
}

/** Every check, by name, in `CERTIFICATE_CHECKS` order. Accept only if all passed. */
export function verifyCertificate(cert: Certificate, options: VerifyOptions): CheckResult[] {
  return checksOf(validateCertificatePath(cert, options));
}

/** True when every check passed. */
export function certificateAccepted(results: readonly CheckResult[]): boolean {
  return results.length > 0 && results.every((r) => r.passed);
}

/** The failed checks only: what the client panel leads with. */
export function failedChecks(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => !r.passed);
}
