/**
 * The Certificate Transparency event's log (pki/ct.ts says the RFC 6962 parts): a public log the
 * CA hands every certificate it issues before it signs it, whose signed timestamp (SCT) goes
 * into the certificate. Everyone can read the log; the bank runs a monitor on it (a standard
 * bank does, as big sites do with crt.sh or Cert Spotter; a careless one does not look), which
 * spots a bank.example certificate for a key that is not the bank's. A CA may still sign without
 * logging (the CA seat's choice): the certificate then carries no SCT, which a browser that
 * requires CT refuses.
 */
import type { KeyPair } from '../crypto/primitives.ts';
import { signCertificate } from '../pki/certificate.ts';
import { encodeSctList, leafHash, merkleTreeHash, merkleTreeLeaf, signSct, spkiHash, type CtLogKey, type PrecertEntry } from '../pki/ct.ts';
import type { Certificate, CertificateBody } from '../pki/types.ts';
import { toHex } from '../codec/bytes.ts';
import type { Endpoint } from './types.ts';

/** The log's name, as browsers list it. */
export const CT_LOG_NAME = 'Heist CT Log';

export interface CtLogEntry {
  /** Its position in the log, from 0 (RFC 6962 §4.6 leaf_index). */
  index: number;
  /** Milliseconds since 1970, game time: the SCT's and the leaf's timestamp. */
  timestamp: number;
  /** The MerkleTreeLeaf (§3.4) whose hash is the tree's leaf. */
  leaf: Uint8Array;
  certificate: Certificate;
  /** Who asked the CA for it (the referee's ground truth; the log shows only the certificate). */
  requester: Endpoint;
}

export interface RoundCtLog {
  name: string;
  keys: KeyPair;
  entries: CtLogEntry[];
  /** The bank watches the log (a standard bank's monitor; a careless bank never looks). */
  watchedByBank: boolean;
  /** Indexes of the entries the bank's monitor flagged: a certificate for its name with a key that is not its own. */
  spotted: number[];
}

/** What a browser that requires CT knows of the log: its name and public key. */
export const logKeyOf = (log: RoundCtLog): CtLogKey => ({ name: log.name, publicKey: log.keys.publicKey });

/**
 * The CA signs `body` with its key; logged, it first submits the precertificate's entry to the
 * log, which appends it and returns its SCT, and the certificate carries that SCT.
 */
export function issueLogged(log: RoundCtLog | undefined, body: CertificateBody, issuer: KeyPair, timestamp: number, requester: Endpoint): Certificate {
  if (!log) return signCertificate(body, issuer.secretKey);
  let entry: PrecertEntry | undefined;
  const certificate = signCertificate(body, issuer.secretKey, (tbsCertificate) => {
    entry = { issuerKeyHash: spkiHash('p256', issuer.publicKey), tbsCertificate };
    return encodeSctList([signSct(log.keys, timestamp, entry)]);
  });
  log.entries.push({ index: log.entries.length, timestamp, leaf: merkleTreeLeaf(timestamp, entry!), certificate, requester });
  return certificate;
}

/** The bank's monitor over one entry: a certificate naming `bankName` whose key is none of the bank's. */
export function misIssuedFor(entry: CtLogEntry, bankName: string, bankKeys: readonly Uint8Array[]): boolean {
  const { certificate } = entry;
  const names = [certificate.subject, ...certificate.names].map((n) => n.toLowerCase());
  if (!names.includes(bankName)) return false;
  return !bankKeys.some((k) => toHex(k) === toHex(certificate.publicKey));
}

/** The log's signed tree head, as its viewers show it: the size and the Merkle tree hash (§2.1) over its leaves. */
export function treeHead(log: RoundCtLog): { size: number; rootHash: string; leafHashes: string[] } {
  const leaves = log.entries.map((e) => e.leaf);
  return { size: leaves.length, rootHash: toHex(merkleTreeHash(leaves)), leafHashes: leaves.map((l) => toHex(leafHash(l))) };
}
