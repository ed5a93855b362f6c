/**
 * Certification in the round: the certificate signing request a party sends for one of its two
 * keys, and the CA seat's side of it — the request arriving with its http-01 challenge, what the
 * CA looks up, and its decision (signing, where the CT event runs a log, through the log, which
 * the bank's monitor then reads).
 */
import { toHex } from '../codec/bytes.ts';
import type { CertificateSigningRequest, KeyType, KeyUsage, Message } from '../messages/types.ts';
import { issueLogged, misIssuedFor, type RoundCtLog } from './ct-log.ts';
import { SHORT_LIVED_HOURS } from './events.ts';
import { makeCsr } from '../pki/csr.ts';
import type { KeyPair } from '../crypto/primitives.ts';
import { sendPacket } from './network.ts';
import { gameTime, log, type Packet, type Round } from './state.ts';
import { ADDRESSES, DOMAIN_OWNERS, OWNER_RECORDS } from './world.ts';
import type { BankKey, Endpoint, Investigation } from './types.ts';

const DAY = 86_400;

/** What each of a party's two certifiable keys is, as a CSR states it (where a CA plays, the encryption key is RSA). */
export const KEY_KINDS: Readonly<Record<BankKey, { keyType: KeyType; keyUsage: KeyUsage; words: string }>> = {
  encryptionKey: { keyType: 'rsa', keyUsage: 'keyEncipherment', words: 'RSA-2048 key, for key transport' },
  signingKey: { keyType: 'p256', keyUsage: 'digitalSignature', words: 'ECDSA P-256 key, for signatures' },
};

/** The CSR a party sends for `subject`, carrying `key` (by default the key this level's certificates hold), signed with that key (PKCS #10). */
export function certificateRequest(round: Round, subject: string, keys: Record<BankKey, KeyPair>, key?: BankKey): CertificateSigningRequest | undefined {
  const spec = round.module.pki?.certificateKey;
  if (!spec) return undefined;
  const of = key ?? spec.of;
  return makeCsr(subject, KEY_KINDS[of].keyType, KEY_KINDS[of].keyUsage, keys[of]);
}

export function challengeUrl(subject: string, token: Uint8Array): string {
  return `http://${subject}/.well-known/acme-challenge/${toHex(token)}`;
}

/**
 * RFC 8555 §8.3 http-01: the CA issued `token`; the requester must publish it under the name.
 * Whoever really answers for the name (the room's ground truth) publishes it for its own
 * requests only, so the CA finds it exactly when the requester controls the name.
 */
export function domainControlCheck(csr: CertificateSigningRequest, token: Uint8Array, requester: Endpoint): { passed: boolean; detail: string } {
  const url = challengeUrl(csr.subject, token);
  const shown = `${url.slice(0, url.length - 20)}…`;
  const owner = DOMAIN_OWNERS[csr.subject];
  const asked = `The CA issued token ${toHex(token).slice(0, 12)}…; the requester had to publish it at ${shown}`;
  if (!owner) return { passed: false, detail: `${asked}, but ${csr.subject} does not resolve: nobody can prove control of it` };
  if (owner === requester) return { passed: true, detail: `${asked}. The CA fetched it: the token is there, so the requester controls ${csr.subject}` };
  return { passed: false, detail: `${asked}. The CA fetched it: not found. The machine that answers for ${csr.subject} never published this token, so the requester does not control the name` };
}

export function deliverToCa(round: Round, packet: Packet, message: Message): void {
  if (message.type !== 'CertificateRequest') return;
  const id = round.ca.requests.length + 1;
  const token = round.rng.ca.bytes(16);
  const domainControl = domainControlCheck(message.csr, token, packet.from);
  round.ca.requests.push({ id, requester: packet.from, csr: message.csr, packetId: packet.id, token, domainControl, investigated: [], decision: 'pending' });
  log(round, 'ca', `Request #${id} from ${ADDRESSES[packet.from]} for ${message.csr.subject}: a challenge token issued; not checked yet.`, ['ca']);
}

/** The registered domain a name belongs to (the last two labels: www.bank.example → bank.example). */
export function registeredDomain(name: string): string {
  return name.toLowerCase().split('.').slice(-2).join('.');
}

/** The CA looks something up about a request before deciding: the http-01 fetch (proof of control), or the owner record (evidence). */
export function caInvestigate(round: Round, csrId: number, method: Investigation): void {
  const request = round.ca.requests[csrId - 1]!;
  if (!request.investigated.includes(method)) request.investigated.push(method);
  const { subject } = request.csr;
  if (method === 'http01') {
    log(round, 'ca', `Fetched the challenge for request #${csrId} (${subject}): ${request.domainControl.passed ? 'the token is there' : 'the token is not there'}.`, ['ca'], request.domainControl.passed ? 'info' : 'warning');
  } else {
    log(round, 'ca', `Looked up the owner record of ${registeredDomain(subject)} (request #${csrId}).`, ['ca']);
  }
}

/** The owner record of a name's registered domain, as a WHOIS lookup would give it. */
export function ownerRecord(subject: string): string {
  const domain = registeredDomain(subject);
  const record = OWNER_RECORDS[domain];
  const part = domain === subject.toLowerCase() ? '' : `${subject} is part of ${domain}; `;
  return record ? `${part}${domain}: ${record}` : `no record: ${domain} is not a registered domain`;
}

/** The CA decides a request; signing, it hands the certificate to the CT log first where the event runs one, unless it signs `unlogged`. */
export function caDecide(round: Round, csrId: number, sign: boolean, unlogged = false): void {
  const request = round.ca.requests[csrId - 1]!;
  request.decision = sign ? 'signed' : 'refused';
  const { csr } = request;
  if (sign) {
    const now = gameTime(round);
    request.serial = round.ca.nextSerial++;
    // The CA the seat runs signs (the root, or its intermediate: round.ca.issuing), and sends its chain with the certificate.
    const issuing = round.ca.issuing;
    const ctLog = unlogged ? undefined : round.ctLog;
    // A bank that orders short-lived certificates (its ACME client asks for the profile) gets 160 hours, backdated an hour; anyone else 90 days.
    const shortLived = request.requester === 'server' && round.config.bots.server === 'shortLived';
    const notBefore = shortLived ? now - 3600 : now - DAY;
    const notAfter = shortLived ? notBefore + SHORT_LIVED_HOURS * 3600 : now + 90 * DAY;
    const certificate = issueLogged(
      ctLog,
      { serial: BigInt(request.serial), subject: csr.subject, issuer: issuing.name, notBefore, notAfter, keyType: csr.keyType, keyUsage: [csr.keyUsage], publicKey: csr.publicKey, names: [csr.subject], ca: false },
      issuing.keys,
      now * 1000,
      request.requester,
    );
    const unchecked = request.investigated.includes('http01') ? '' : ' without fetching its challenge';
    const logged = !round.ctLog ? '' : ctLog ? `, after handing it to ${ctLog.name} (its SCT is in the certificate)` : `, leaving it out of ${round.ctLog.name}: it carries no SCT`;
    log(round, 'ca', `Signed a certificate for ${csr.subject} (request #${csrId})${unchecked}${logged}.`, ['ca'], request.domainControl.passed ? 'success' : 'warning');
    if (ctLog) monitorNewEntry(round, ctLog);
    sendPacket(round, 'ca', request.requester, { type: 'CertificateIssued', certificate, chain: [...issuing.chain] });
  } else {
    log(round, 'ca', `Refused request #${csrId} for ${csr.subject}.`, ['ca']);
    const fetched = request.investigated.includes('http01');
    const reason = fetched && !request.domainControl.passed ? request.domainControl.detail : 'refused by the CA';
    sendPacket(round, 'ca', request.requester, { type: 'CertificateRefused', subject: csr.subject, reason });
  }
}

/** The bank's monitor reads the log's newest entry: a certificate for its name with a key it does not hold is flagged, and the bank told. */
function monitorNewEntry(round: Round, ctLog: RoundCtLog): void {
  const entry = ctLog.entries.at(-1)!;
  const s = round.server.config;
  if (!ctLog.watchedByBank || !misIssuedFor(entry, s.serverName, [s.encryptionKey.publicKey, s.signingKey.publicKey])) return;
  ctLog.spotted.push(entry.index);
  log(round, 'server', `Our log monitor: ${ctLog.name} entry #${entry.index} is a certificate for ${entry.certificate.subject} (serial ${entry.certificate.serial}, from ${entry.certificate.issuer}) with a key that is not ours — we never asked for it. Mis-issued: the bank would now ask the CA to revoke it.`, ['server'], 'warning');
}
