/**
 * The names of the checks a party runs, and a check's result: the words the handshakes, the
 * certificate validator and the referee share. Imports nothing.
 */
/**
 * The browser's certificate checks (pki/path.ts says each with its RFC 5280 section). The
 * first six and extendedKeyUsage run on every certificate; the chain checks (caFlag,
 * caKeyUsage, pathLength, nameConstraints) when the path has an intermediate CA;
 * signatureAlgorithm and extensions are reported when something on the path fails them.
 */
export type CertificateCheckName =
  | 'issuer'
  | 'signatureAlgorithm'
  | 'signature'
  | 'caFlag'
  | 'caKeyUsage'
  | 'pathLength'
  | 'nameConstraints'
  | 'extensions'
  | 'name'
  | 'notExpired'
  | 'notYetValid'
  | 'keyUsage'
  | 'extendedKeyUsage'
  /** Certificate Transparency (pki/ct-check.ts): run only by a browser that requires SCTs. */
  | 'certificateTransparency'
  /** The CA's OCSP answer, stapled by the server (RFC 6066 §8, RFC 6960): where the browser checks revocation (the leaked-key event). */
  | 'revocation';
/** Every check a party can run, each named once (words in round/check-titles.ts). */
export type CheckName =
  | CertificateCheckName
  | 'hsts'
  | 'serverName'
  | 'cipherSuite'
  | 'downgradeSentinel'
  | 'keyExchange'
  | 'certificateVerify'
  | 'serverKeyExchange'
  | 'handshakeRecord'
  | 'finished'
  | 'pskBinder'
  | 'earlyDataReplay'
  | 'ticketFreshness'
  | 'record'
  | 'sequence'
  | 'messageOrder'
  | 'decode'
  | 'domainControl';
export interface CheckResult {
  check: CheckName;
  passed: boolean;
  /** Plain words, e.g. "name mismatch: certificate is for evil.example". */
  detail: string;
  /** Set when the check could not run because this other check failed first (it counts as neither passed nor flagged). */
  blockedBy?: CheckName;
}
