/**
 * Certificate Transparency's formats (RFC 6962), checked without the game's own CT code where it
 * can be: the Merkle tree head against CT's reference vectors (§2.1); the SCT embedded in a
 * certificate the game's CA issued, read from the DER with @peculiar/asn1-x509 and verified with
 * node:crypto over the `digitally-signed struct` of §3.2 built here byte by byte.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate, Extensions } from '@peculiar/asn1-x509';
import {
  CT_LOG_NAME,
  decodeSctList,
  encodeCertificate,
  encodeSctList,
  intermediateCertificate,
  issueLogged,
  p256KeyPair,
  pathTransparencyCheck,
  signCertificate,
  signSct,
  spkiHash,
  validateCertificatePath,
  type KeyPair,
  fromHex,
  merkleTreeHash,
  simulateRound,
  subjectPublicKeyInfo,
  toHex,
  treeHead,
  x509Of,
  sctCheck,
} from '@heist/shared';

const vectors = JSON.parse(readFileSync(new URL('../../vectors/ct-reference-merkle-tree.json', import.meta.url), 'utf8')) as { leaves: string[]; roots: string[] };
const SCT_OID = '1.3.6.1.4.1.11129.2.4.2';
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const spkiDer = (publicKey: Uint8Array) => new Uint8Array(AsnConvert.serialize(subjectPublicKeyInfo('p256', publicKey)));
const len = (n: number, bytes: number) => Uint8Array.from({ length: bytes }, (_, i) => (n >> (8 * (bytes - 1 - i))) & 0xff);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('RFC 6962 §2.1: the Merkle tree head', () => {
  it('matches CT’s reference tree heads for every size from 0 to 8 (leaf 0x00 ‖ data, node 0x01 ‖ left ‖ right)', () => {
    const leaves = vectors.leaves.map(fromHex);
    for (let n = 0; n <= leaves.length; n++) expect(toHex(merkleTreeHash(leaves.slice(0, n))), `size ${n}`).toBe(vectors.roots[n]);
  });
});

describe('RFC 6962 §3.2–3.3: the SCT the log signed, embedded in the certificate the CA issued', () => {
  // The sloppy CA signs Mallory's bank.example request: the log holds the bank's certificate and hers.
  const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'sloppy', attacker: 'fraudulentCsr' }, 'ct/sct', { event: 'certificateTransparency' });
  const log = round.ctLog!;

  it('logs every certificate the CA issued, in order, and its tree head is the Merkle tree hash of those leaves', () => {
    expect(log.entries.map((e) => [e.index, e.certificate.subject, e.requester])).toEqual([
      [0, 'bank.example', 'server'],
      [1, 'bank.example', 'attacker'],
    ]);
    // §2.1 by hand: two leaves, one node.
    const [a, b] = log.entries.map((e) => sha256(cat(new Uint8Array([0]), e.leaf)));
    expect(treeHead(log)).toEqual({ size: 2, rootHash: toHex(sha256(cat(new Uint8Array([1]), a!, b!))), leafHashes: [toHex(a!), toHex(b!)] });
  });

  for (const at of [0, 1]) {
    it(`entry ${at}: its certificate carries one SCT from ${CT_LOG_NAME}, whose ECDSA P-256 signature node:crypto verifies over the precertificate entry`, () => {
      const entry = log.entries[at]!;
      const der = encodeCertificate(entry.certificate);
      const cert = AsnConvert.parse(der, AsnCertificate);
      const exts = cert.tbsCertificate.extensions!;
      const sctExt = exts.find((e) => e.extnID === SCT_OID)!;
      expect(sctExt.critical).toBe(false);
      expect(exts.at(-1)).toBe(sctExt);
      const list = new Uint8Array(AsnConvert.parse(sctExt.extnValue.buffer, OctetString).buffer);
      // SignedCertificateTimestampList: u16 list length, u16 SCT length, then the SCT.
      const view = new DataView(list.buffer, list.byteOffset);
      expect(view.getUint16(0)).toBe(list.length - 2);
      const sctLength = view.getUint16(2);
      expect(sctLength).toBe(list.length - 4);
      const sct = list.subarray(4);
      expect(sct[0]).toBe(0); // v1
      const logId = sct.subarray(1, 33);
      expect(toHex(logId)).toBe(toHex(sha256(spkiDer(log.keys.publicKey))));
      const timestamp = sct.subarray(33, 41);
      expect(Number(new DataView(timestamp.buffer, timestamp.byteOffset).getBigUint64(0))).toBe(entry.timestamp);
      expect([...sct.subarray(41, 43)]).toEqual([0, 0]); // no CtExtensions
      expect([...sct.subarray(43, 45)]).toEqual([4, 3]); // sha256, ecdsa
      const signature = sct.subarray(47);
      expect(new DataView(sct.buffer, sct.byteOffset).getUint16(45)).toBe(signature.length);
      // The precertificate's TBSCertificate: the certificate's own without the SCT extension.
      cert.tbsCertificate.extensions = new Extensions(exts.filter((e) => e.extnID !== SCT_OID));
      const tbs = new Uint8Array(AsnConvert.serialize(cert.tbsCertificate));
      const issuerKeyHash = sha256(spkiDer(round.ca.issuing.keys.publicKey));
      const signed = cat(new Uint8Array([0, 0]), timestamp, len(1, 2), issuerKeyHash, len(tbs.length, 3), tbs, len(0, 2));
      const key = createPublicKey({ key: Buffer.from(spkiDer(log.keys.publicKey)), format: 'der', type: 'spki' });
      expect(verify('sha256', signed, key, signature)).toBe(true);
      // The MerkleTreeLeaf the log stores: v1, timestamped_entry, then the same entry.
      expect(toHex(entry.leaf)).toBe(toHex(cat(new Uint8Array([0, 0]), timestamp, len(1, 2), issuerKeyHash, len(tbs.length, 3), tbs, len(0, 2))));
    });
  }

  it('the browser’s check passes with the log’s key, and fails for another log or a changed SCT', () => {
    const cert = x509Of(log.entries[0]!.certificate);
    const issuer = { keyType: 'p256' as const, publicKey: round.ca.issuing.keys.publicKey };
    const known = [{ name: CT_LOG_NAME, publicKey: log.keys.publicKey }];
    expect(sctCheck(cert, issuer, known)).toMatchObject({ check: 'certificateTransparency', passed: true });
    expect(sctCheck(cert, issuer, [{ name: 'Another log', publicKey: round.ca.keys.publicKey }])).toEqual({
      check: 'certificateTransparency',
      passed: false,
      detail: 'none of its 1 SCT(s) is a valid signature from a log this browser knows',
    });
    const [sct] = decodeSctList(cert.scts!);
    const bent = { ...sct!, timestamp: sct!.timestamp + 1 };
    expect(toHex(encodeSctList([sct!]))).toBe(toHex(cert.scts!));
    expect(sctCheck({ ...cert, scts: encodeSctList([bent]) }, issuer, known).passed).toBe(false);
  });
});

describe('the browser’s CT check on a path through an intermediate CA', () => {
  // The entry a log signs names the certificate's issuer by the hash of its key: here the intermediate's, not the root's.
  const key = (seed: string) => p256KeyPair(sha256(new TextEncoder().encode(seed)));
  const [root, intermediate, site, log] = ['root', 'intermediate', 'site', 'log'].map(key) as [KeyPair, KeyPair, KeyPair, KeyPair];
  const NOW = 1_800_000_000;
  const issuing = intermediateCertificate('Test Issuing CA', intermediate.publicKey, { name: 'Test Root CA', secretKey: root.secretKey }, NOW - 86_400, NOW + 86_400 * 365);
  const body = { serial: 7n, subject: 'bank.example', issuer: 'Test Issuing CA', notBefore: NOW - 60, notAfter: NOW + 86_400, keyType: 'p256' as const, keyUsage: ['digitalSignature' as const], publicKey: site.publicKey, names: ['bank.example'], ca: false };
  const roundLog = { name: 'Test Log', keys: log, entries: [], watchedByBank: true, spotted: [] };
  const options = { chain: [issuing], trustStore: [{ name: 'Test Root CA', publicKey: root.publicKey }], expectedName: 'bank.example', now: NOW, expectedKeyType: 'p256' as const, expectedUsage: 'digitalSignature' as const };
  const logs = [{ name: 'Test Log', publicKey: log.publicKey }];

  it('an SCT over the intermediate’s key hash verifies; the same entry under the root’s key hash does not', () => {
    const logged = issueLogged(roundLog, body, intermediate, NOW * 1000, 'server');
    const path = validateCertificatePath(logged, options);
    expect(typeof path !== 'string' && path.accepted).toBe(true);
    expect(pathTransparencyCheck(path, logs)).toMatchObject({ check: 'certificateTransparency', passed: true });
    // A log that was handed the root's key hash signed another entry: the browser, which rebuilds it from the path, refuses.
    const wrongIssuer = signCertificate(body, intermediate.secretKey, (tbsCertificate) => encodeSctList([signSct(log, NOW * 1000, { issuerKeyHash: spkiHash('p256', root.publicKey), tbsCertificate })]));
    expect(pathTransparencyCheck(validateCertificatePath(wrongIssuer, options), logs)).toEqual({ check: 'certificateTransparency', passed: false, detail: 'none of its 1 SCT(s) is a valid signature from a log this browser knows' });
  });

  it('without a path to a trusted CA the check cannot run, and says why', () => {
    const logged = issueLogged(roundLog, body, intermediate, NOW * 1000, 'server');
    expect(pathTransparencyCheck(validateCertificatePath(logged, { ...options, chain: [] }), logs)).toEqual({ check: 'certificateTransparency', passed: false, detail: 'not checked: no path to a CA this browser trusts', blockedBy: 'issuer' });
  });
});
