/**
 * What the game's certificates and certificate requests share in its X.509 profile (RFC 5280):
 * a name is exactly one commonName (UTF8String), and a key has exactly one of the three uses
 * the game gives keys. One encoding per value, so decoding can insist on it.
 */
import { AttributeTypeAndValue, AttributeValue, KeyUsageFlags, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import type { CertificateBody, KeyType, KeyUsage } from './types.ts';
import { OID } from './keys.ts';

/** RFC 5280 §4.2.1.3: the keyUsage bit of each use. */
export const KEY_USAGE_FLAGS: Readonly<Record<KeyUsage, KeyUsageFlags>> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  keyEncipherment: KeyUsageFlags.keyEncipherment,
  keyCertSign: KeyUsageFlags.keyCertSign,
};

/** The use whose bits are exactly `flags`, or undefined (none, or several). */
export function keyUsageOf(flags: number | undefined): KeyUsage | undefined {
  return (Object.keys(KEY_USAGE_FLAGS) as KeyUsage[]).find((k) => KEY_USAGE_FLAGS[k] === flags);
}

export function commonName(cn: string): Name {
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: OID.commonName, value: new AttributeValue({ utf8String: cn }) })])]);
}

/** The commonName of a name that is one commonName and nothing else; `what` names it in the error. */
export function onlyCommonName(name: Name, what: string): string {
  const rdn = name.length === 1 ? name[0] : undefined;
  const atv = rdn?.length === 1 ? rdn[0] : undefined;
  const cn = atv?.type === OID.commonName ? atv.value.utf8String : undefined;
  if (cn === undefined) throw new Error(`${what} is not one commonName`);
  return cn;
}

/** The one use the game gives a certificate's key, when the certificate is in the game's profile (an RSA or P-256 key, one of the game's three uses). */
export function gameKeyUse(cert: Pick<CertificateBody, 'keyType' | 'keyUsage'>): { keyType: KeyType; keyUsage: KeyUsage } | undefined {
  const usage = cert.keyUsage.length === 1 ? cert.keyUsage[0] : undefined;
  const keyUsage = (Object.keys(KEY_USAGE_FLAGS) as KeyUsage[]).find((k) => k === usage);
  return keyUsage && (cert.keyType === 'rsa' || cert.keyType === 'p256') ? { keyType: cert.keyType, keyUsage } : undefined;
}
