/**
 * Certificate Transparency (RFC 6962): a public, append-only log of every certificate a CA
 * issues, so that a certificate for a name nobody asked for cannot stay secret.
 *
 * - The CA sends the log its *precertificate* (§3.1): the certificate it is about to sign, minus
 *   the proof of logging. The log adds it to its Merkle tree and answers with a signed
 *   certificate timestamp (SCT, §3.2): its promise, signed with its key, to publish the entry.
 *   The game's CA never builds the poisoned precertificate itself: the log's entry holds what the
 *   precertificate gives it — the TBSCertificate without the SCT extension, and the SHA-256 of
 *   the issuer's public key (§3.2 `PreCert`) — which is exactly the final certificate's
 *   TBSCertificate with its SCT extension removed (§3.1 says they must agree).
 * - The CA puts the SCT list in the certificate, in the X.509 extension
 *   1.3.6.1.4.1.11129.2.4.2 (§3.3); `openssl x509 -text` prints it as "CT Precertificate SCTs".
 * - A browser that requires CT (Chrome, Safari) refuses a certificate without a valid SCT
 *   from a log it knows.
 * - Monitors (the bank's) read every entry of the log and spot a certificate for their name that
 *   they never asked for. That does not stop the first use of a mis-issued certificate; it makes
 *   it visible, so the bank can have it revoked.
 *
 * SCTs are version 1 (v1 = 0), signed with ECDSA P-256 over SHA-256 (§2.1.4: the log's key).
 * The tree's hashes are §2.1's: a leaf is SHA-256(0x00 ‖ MerkleTreeLeaf), a node
 * SHA-256(0x01 ‖ left ‖ right), split at the largest power of two below the size.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { sha256 } from '@noble/hashes/sha2.js';
import { Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { concat, toHex } from '../codec/bytes.ts';
import { ecdsaP256Sign, ecdsaP256Verify } from '../crypto/primitives.ts';
import { subjectPublicKeyInfo } from './keys.ts';
import type { KeyType } from './types.ts';

/** RFC 6962 §3.2 (`Version`, `SignatureType`, `LogEntryType`) and §3.4 (`MerkleLeafType`). */
const SCT_V1 = 0;
const SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP = 0;
export const LOG_ENTRY_TYPE = { x509: 0, precert: 1 } as const;
const LEAF_TYPE_TIMESTAMPED_ENTRY = 0;
/** RFC 5246 §7.4.1.4.1: HashAlgorithm sha256 (4), SignatureAlgorithm ecdsa (3). */
const SHA256_ECDSA = { hash: 4, signature: 3 } as const;

/** What a log signs and stores for an embedded SCT (§3.2 `PreCert`): the issuer's key hash and the TBSCertificate without the SCT extension. */
export interface PrecertEntry {
  issuerKeyHash: Uint8Array;
  tbsCertificate: Uint8Array;
}

/** One signed certificate timestamp (§3.2 `SignedCertificateTimestamp`). */
export interface Sct {
  version: number;
  /** SHA-256 of the log's SubjectPublicKeyInfo DER (§3.2 `LogID`). */
  logId: Uint8Array;
  /** Milliseconds since 1970 (game time here). */
  timestamp: number;
  extensions: Uint8Array;
  /** `DigitallySigned`: the hash and signature algorithms, and the signature's DER. */
  hashAlgorithm: number;
  signatureAlgorithm: number;
  signature: Uint8Array;
}

/** A log as a browser knows it: its name and its P-256 public key (Chrome ships such a list). */
export interface CtLogKey {
  name: string;
  publicKey: Uint8Array;
}

/** SHA-256 of a key's SubjectPublicKeyInfo DER: a log's ID (§3.2), and an issuer's key hash in a `PreCert`. */
export function spkiHash(keyType: KeyType | 'p384', publicKey: Uint8Array): Uint8Array {
  return sha256(new Uint8Array(AsnConvert.serialize(subjectPublicKeyInfo(keyType, publicKey))));
}

export const logIdOf = (publicKey: Uint8Array): Uint8Array => spkiHash('p256', publicKey);

/** The `signed_entry` of a precertificate: issuer_key_hash[32] ‖ TBSCertificate<1..2^24-1>. */
function writePrecert(w: Writer, entry: PrecertEntry): void {
  w.bytes(entry.issuerKeyHash, 32, 'issuer_key_hash').vector(3, entry.tbsCertificate, 'tbs_certificate');
}

/** §3.2: the `digitally-signed struct` an SCT's signature covers. */
export function sctSignedData(timestamp: number, entry: PrecertEntry, extensions: Uint8Array = new Uint8Array(0)): Uint8Array {
  const w = new Writer().u8(SCT_V1).u8(SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP).u64(timestamp, 'timestamp').u16(LOG_ENTRY_TYPE.precert);
  writePrecert(w, entry);
  return w.vector(2, extensions, 'CtExtensions').finish();
}

/** §3.4: the `MerkleTreeLeaf` the log stores for this entry (its hash is a leaf of the tree). */
export function merkleTreeLeaf(timestamp: number, entry: PrecertEntry, extensions: Uint8Array = new Uint8Array(0)): Uint8Array {
  const w = new Writer().u8(SCT_V1).u8(LEAF_TYPE_TIMESTAMPED_ENTRY).u64(timestamp, 'timestamp').u16(LOG_ENTRY_TYPE.precert);
  writePrecert(w, entry);
  return w.vector(2, extensions, 'CtExtensions').finish();
}

/** The log's act: sign the entry's timestamp (§3.2) with its P-256 key. */
export function signSct(log: { secretKey: Uint8Array; publicKey: Uint8Array }, timestamp: number, entry: PrecertEntry): Sct {
  const extensions = new Uint8Array(0);
  return {
    version: SCT_V1,
    logId: logIdOf(log.publicKey),
    timestamp,
    extensions,
    hashAlgorithm: SHA256_ECDSA.hash,
    signatureAlgorithm: SHA256_ECDSA.signature,
    signature: ecdsaP256Sign(log.secretKey, sctSignedData(timestamp, entry, extensions)),
  };
}

/** §3.2 `SignedCertificateTimestamp` in TLS encoding. */
export function encodeSct(sct: Sct): Uint8Array {
  return new Writer()
    .u8(sct.version)
    .bytes(sct.logId, 32, 'LogID')
    .u64(sct.timestamp, 'timestamp')
    .vector(2, sct.extensions, 'CtExtensions')
    .u8(sct.hashAlgorithm)
    .u8(sct.signatureAlgorithm)
    .vector(2, sct.signature, 'signature')
    .finish();
}

/** §3.3 `SignedCertificateTimestampList`: SerializedSCT<1..2^16-1> sct_list<1..2^16-1>. */
export function encodeSctList(scts: readonly Sct[]): Uint8Array {
  return new Writer().sub(2, (w) => { for (const s of scts) w.vector(2, encodeSct(s), 'SerializedSCT'); }, 'sct_list').finish();
}

/** Reads a `SignedCertificateTimestampList`; throws `CodecError` for bytes that are not one (an SCT of another version is skipped, as §3.3 says a client must). */
export function decodeSctList(bytes: Uint8Array): Sct[] {
  const r = Reader.over(bytes);
  const list = r.sub(2);
  r.expectEnd();
  const out: Sct[] = [];
  while (list.remaining > 0) {
    const one = list.sub(2);
    const version = one.u8();
    if (version !== SCT_V1) continue;
    const sct: Sct = { version, logId: one.bytes(32), timestamp: one.u64(), extensions: one.vector(2), hashAlgorithm: one.u8(), signatureAlgorithm: one.u8(), signature: one.vector(2) };
    one.expectEnd();
    out.push(sct);
  }
  return out;
}

/** Whether `sct` is `log`'s valid signature over this entry: the right log, SHA-256 with ECDSA, and the signature verifies. */
export function verifySct(sct: Sct, log: CtLogKey, entry: PrecertEntry): boolean {
  if (toHex(sct.logId) !== toHex(logIdOf(log.publicKey))) return false;
  if (sct.hashAlgorithm !== SHA256_ECDSA.hash || sct.signatureAlgorithm !== SHA256_ECDSA.signature) return false;
  return ecdsaP256Verify(log.publicKey, sctSignedData(sct.timestamp, entry, sct.extensions), sct.signature);
}

/** §2.1: a leaf's hash, SHA-256(0x00 ‖ leaf). */
export const leafHash = (leaf: Uint8Array): Uint8Array => sha256(concat(new Uint8Array([0]), leaf));
const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(concat(new Uint8Array([1]), left, right));

/** §2.1 Merkle Tree Hash of the leaves in order: SHA-256() for none; split at the largest power of two smaller than n. */
export function merkleTreeHash(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leafHash(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(merkleTreeHash(leaves.slice(0, k)), merkleTreeHash(leaves.slice(k)));
}

