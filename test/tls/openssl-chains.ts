/**
 * Certificate chains made by the `openssl` command, shaped like Let's Encrypt's (2024-): a
 * root in the shape of ISRG Root X1 (RSA-4096) or X2 (P-384, ecdsa-with-SHA384), an
 * intermediate like R10 / E5 (pathlen 0, EKU serverAuth+clientAuth, AIA caIssuers, CRL DP), and
 * a 90-day leaf with a 20-byte random serial, the name in the subjectAltName, AKI/SKI, EKU,
 * AIA (OCSP and caIssuers), a CRL distribution point and the DV policy 2.23.140.1.2.1. The
 * RSA leaf has digitalSignature and keyEncipherment, as every real RSA leaf does; the ECDSA one
 * a P-256 key and digitalSignature only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

/** A 90-day site certificate's extensions as Let's Encrypt writes them, under the intermediate `ca`. */
function leaf(section: string, keyUsage: string, ca: string, crl: number): string {
  return `[${section}]
basicConstraints = critical, CA:FALSE
keyUsage = critical, ${keyUsage}
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
authorityInfoAccess = OCSP;URI:http://${ca}.o.lencr.example, caIssuers;URI:http://${ca}.i.lencr.example/
subjectAltName = DNS:bank.example, DNS:www.bank.example
certificatePolicies = 2.23.140.1.2.1
crlDistributionPoints = URI:http://${ca}.c.lencr.example/${crl}.crl`;
}

const CONFIG = `
[req]
distinguished_name = dn
[dn]
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, digitalSignature, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
authorityInfoAccess = caIssuers;URI:http://x1.i.lencr.example/
crlDistributionPoints = URI:http://x1.c.lencr.example/
certificatePolicies = 2.23.140.1.2.1
${leaf('leaf_rsa', 'digitalSignature, keyEncipherment', 'r10', 12)}
${leaf('leaf_ec', 'digitalSignature', 'e5', 7)}
`;

export interface Chain {
  dir: string;
  /** PEM files: the root (what a trust store holds), the intermediate, the leaf and its key. */
  root: string;
  intermediate: string;
  leaf: string;
  leafKey: string;
  /** The intermediate's PEM text, what the server sends after its leaf. */
  chainPem: string;
}

export type ChainShape = 'rsa' | 'ecdsa';

function run(dir: string, ...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** root → intermediate → leaf for bank.example, in `dir/<shape>/`. */
export function letsEncryptShaped(base: string, shape: ChainShape): Chain {
  const dir = path.join(base, shape);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'openssl.cnf'), CONFIG);
  const key = (name: string, spec: string) => run(dir, 'genpkey', '-out', `${name}.key`, ...spec.split(' '));
  const rsa = shape === 'rsa';
  const digest = rsa ? '-sha256' : '-sha384';
  key('root', rsa ? '-algorithm RSA -pkeyopt rsa_keygen_bits:4096' : '-algorithm EC -pkeyopt ec_paramgen_curve:P-384');
  key('intermediate', rsa ? '-algorithm RSA -pkeyopt rsa_keygen_bits:2048' : '-algorithm EC -pkeyopt ec_paramgen_curve:P-384');
  key('leaf', rsa ? '-algorithm RSA -pkeyopt rsa_keygen_bits:2048' : '-algorithm EC -pkeyopt ec_paramgen_curve:P-256');
  const rootName = rsa ? '/C=US/O=Internet Security Research Group/CN=ISRG Root X1' : '/C=US/O=Internet Security Research Group/CN=ISRG Root X2';
  const intermediateName = rsa ? "/C=US/O=Let's Encrypt/CN=R10" : "/C=US/O=Let's Encrypt/CN=E5";
  run(dir, 'req', '-new', '-x509', '-config', 'openssl.cnf', '-extensions', 'root', '-key', 'root.key', digest, '-days', '3650', '-subj', rootName, '-out', 'root.pem');
  const issue = (name: string, subject: string, issuer: string, ext: string, days: string) => {
    run(dir, 'req', '-new', '-config', 'openssl.cnf', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
    run(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, digest, '-days', days, '-extfile', 'openssl.cnf', '-extensions', ext, '-out', `${name}.pem`);
  };
  issue('intermediate', intermediateName, 'root', 'intermediate', '1095');
  issue('leaf', '/CN=bank.example', 'intermediate', rsa ? 'leaf_rsa' : 'leaf_ec', '90');
  const file = (n: string) => path.join(dir, n);
  return { dir, root: file('root.pem'), intermediate: file('intermediate.pem'), leaf: file('leaf.pem'), leafKey: file('leaf.key'), chainPem: fs.readFileSync(file('intermediate.pem'), 'utf8') };
}
