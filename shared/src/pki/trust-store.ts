/**
 * A trust store read from a file of CA certificates (PEM, RFC 7468), as operating systems ship
 * them (Debian's /etc/ssl/certs/ca-certificates.crt, Mozilla's list): every certificate becomes
 * a trust anchor (RFC 5280 §6.1.1 (d): its subject name, public key and key identifier). The
 * anchors' own signatures, dates and extensions are not checked — an anchor is trusted because
 * it is in the store, which is why a rogue root in it fools every check. A certificate whose key
 * this browser cannot use is skipped, saying why; one that does not decode is skipped too.
 */
import { anchorFromCertificate, type TrustAnchor } from './path.ts';
import { allFromPem } from './keys.ts';
import { readX509 } from './x509.ts';

export interface TrustStoreFile {
  anchors: TrustAnchor[];
  /** The certificates left out, each with the reason. */
  skipped: { name: string; why: string }[];
}

export function trustStoreFromPem(text: string): TrustStoreFile {
  const out: TrustStoreFile = { anchors: [], skipped: [] };
  allFromPem(text, 'CERTIFICATE').forEach((der, i) => {
    let name = `certificate #${i + 1}`;
    try {
      const x = readX509(der);
      name = x.subject.text || name;
      out.anchors.push(anchorFromCertificate(x));
    } catch (e) {
      out.skipped.push({ name, why: e instanceof Error ? e.message : String(e) });
    }
  });
  return out;
}
