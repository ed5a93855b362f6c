/**
 * Certificate reading and path validation, timed (the reader is @peculiar/asn1-x509, the
 * signatures noble's or node:crypto's): what a browser spends on a server's chain, and on a
 * system trust store.
 *
 *   npx tsx test/bench/pki.bench.ts [--runs 200]
 *
 * - the game's chain: root → intermediate → bank (ECDSA P-256), read and validated, per backend;
 * - one RSASSA-PKCS1-v1_5 SHA-256 check with a 2048-bit key (what each link of an RSA chain
 *   such as Let's Encrypt's R10 / ISRG Root X1 costs), per backend;
 * - /etc/ssl/certs/ca-certificates.crt (when present) read into trust anchors.
 * Medians of `--runs` runs of each, by the wall clock. Speed is read off these figures, never
 * asserted by a timed test.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { utf8 } from '../../shared/src/codec/bytes.ts';
import { p256KeyPair, sha256, withCryptoBackend } from '../../shared/src/crypto/primitives.ts';
import { nobleBackend } from '../../shared/src/crypto/noble-backend.ts';
import { nodeCryptoBackend } from '../../server/src/crypto/node-backend.ts';
import { encodeCertificate, rootCertificate, signCertificate } from '../../shared/src/pki/certificate.ts';
import { anchorFromCertificate, validatePath } from '../../shared/src/pki/path.ts';
import { rsaPublicKeyFromDer } from '../../shared/src/pki/keys.ts';
import { checkSignature } from '../../shared/src/pki/signatures.ts';
import { trustStoreFromPem } from '../../shared/src/pki/trust-store.ts';
import { readX509 } from '../../shared/src/pki/x509.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);

function median(f: () => void, n = runs): number {
  for (let i = 0; i < Math.min(10, n); i++) f(); // warm the JIT
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const keys = (label: string) => p256KeyPair(sha256(utf8(label)));
const root = keys('root');
const mid = keys('mid');
const bank = keys('bank');
const NOW = 1_800_000_000;
const rootCert = rootCertificate('Heist Root CA', root, NOW - 1000, NOW + 100_000);
const midCert = signCertificate({ serial: 2n, subject: 'Heist Issuing CA', issuer: 'Heist Root CA', notBefore: NOW - 1000, notAfter: NOW + 100_000, keyType: 'p256', keyUsage: ['keyCertSign'], publicKey: mid.publicKey, names: [], ca: true, pathLength: 0 }, root.secretKey);
const leafCert = signCertificate({ serial: 3n, subject: 'bank.example', issuer: 'Heist Issuing CA', notBefore: NOW - 1000, notAfter: NOW + 100_000, keyType: 'p256', keyUsage: ['digitalSignature'], publicKey: bank.publicKey, names: ['bank.example'], ca: false }, mid.secretKey);
const ders = [leafCert, midCert].map(encodeCertificate);
const anchors = [anchorFromCertificate(readX509(encodeCertificate(rootCert)))];

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const tbs = new Uint8Array(1200).fill(7);
const rsaSig = new Uint8Array(createSign('sha256').update(tbs).sign(rsa.privateKey));
const pkcs1 = new Uint8Array(rsa.publicKey.export({ format: 'der', type: 'pkcs1' }));
const rsaKey = { kind: 'rsa' as const, bits: 2048, key: rsaPublicKeyFromDer(pkcs1), pkcs1, pssOnly: false };

console.log(`PKI benchmark, median of ${runs} runs (ms)`);
for (const backend of [nobleBackend, nodeCryptoBackend]) {
  withCryptoBackend(backend, () => {
    const read = median(() => ders.forEach(readX509));
    const validate = median(() => validatePath(readX509(ders[0]!), [readX509(ders[1]!)], { trustStore: anchors, expectedName: 'bank.example', now: NOW, expectedKeyType: 'p256', expectedUsage: 'digitalSignature' }));
    const rsaCheck = median(() => checkSignature({ kind: 'rsaPkcs1', hash: 'SHA-256', name: 'sha256WithRSAEncryption' }, rsaKey, tbs, rsaSig));
    console.log(`  ${backend.name.padEnd(12)} read 2 certificates ${read.toFixed(2)} | read + validate root → intermediate → bank ${validate.toFixed(2)} | one RSA-2048 PKCS #1 SHA-256 check ${rsaCheck.toFixed(3)}`);
  });
}
const bundle = '/etc/ssl/certs/ca-certificates.crt';
if (fs.existsSync(bundle)) {
  const text = fs.readFileSync(bundle, 'utf8');
  const store = trustStoreFromPem(text);
  const t = median(() => trustStoreFromPem(text), Math.max(3, Math.floor(runs / 20)));
  console.log(`  ${bundle}: ${store.anchors.length} anchors, ${store.skipped.length} skipped, read in ${t.toFixed(0)}`);
} else console.log(`  ${bundle}: not on this machine`);
