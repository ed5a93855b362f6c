/**
 * What an event (basics/events.ts) changes before play, as plain facts the round starts from:
 * - lookalikeDomain: Mallory registered bank-examp1e.example two days ago and the CA, finding
 *   her token there (she does control the name), signed her a certificate for it, with her key of
 *   the kind the level certifies; her message lured Alice there, so that is the name Alice's
 *   browser asks for. Her site relays to the real bank (round/tap.ts, round/proxy.ts).
 * - expiredCertificate: the bank had bank.example certified 93 days ago for the CA's usual 90,
 *   with the right key, and forgot to renew: it starts the round holding that certificate.
 * - rogueRoot: Mallory runs the café Wi-Fi. She made her own root CA (self-signed: cA TRUE,
 *   keyCertSign), which her captive portal offers Alice as "the café certificate", and with it
 *   signed a bank.example certificate for her own key, which her gateway shows Alice in the
 *   bank's place (round/proxy.ts). Whether Alice installs the root is Alice's to decide
 *   (round/portal.ts).
 * - encryptionWithoutIntegrity: Alice and the bank hold a key card (an AES-256 key agreed in
 *   advance, so none crosses the Wi-Fi) and their records are AES-CTR without a tag. Alice pays
 *   60, as every month, and the bank's form writes amounts in four digits: Mallory knows her
 *   order ends `amount=0060` — all she needs to make it say `amount=0960` without the key.
 * - harvestNowDecryptLater: the bank speaks X25519MLKEM768 first (as big sites do today); an
 *   up-to-date browser (a careful Alice's) offers it first too, an old one (a careless Alice's)
 *   only the level's X25519 and P-256. What Mallory records is played out in the debrief
 *   (referee/harvest.ts).
 * - versionDowngrade: the bank speaks TLS 1.2 (level 4e's ECDHE) beside 1.3, and so does Alice's
 *   browser, which offers both; an up-to-date browser (a careful Alice's) checks a 1.2
 *   ServerHello's random for TLS 1.3's downgrade sentinel, an old one (a careless Alice's) does
 *   not (handshake/downgrade.ts).
 * - earlyDataReplay: Alice visited the bank yesterday; its NewSessionTicket from that session is
 *   in her browser (the ticket, sealed under the bank's ticket key, and the PSK from that
 *   session's resumption master secret), and the bank holds the ticket key. Today she pays
 *   60 to Carol, as 0-RTT early data with her ClientHello.
 * - hstsFirstVisit: Alice has never been to bank.example, so her browser has noted no HSTS header
 *   from it. The bank is on the browsers' HSTS preload list (it sends `max-age=31536000;
 *   includeSubDomains; preload` and asked to be listed): a browser whose list carries it (an
 *   up-to-date one: a careful Alice's, or as the room decides for a person) goes straight to
 *   https://; one without (an old or embedded browser: a careless Alice's) asks http:// first.
 * - hstsReturningVisit: Alice last visited bank.example 40 days ago, over HTTPS without errors,
 *   and her browser noted the bank's header then, as RFC 6797 §8.1.1 says: from that visit, for
 *   max-age seconds. A standard bank's header says a year (`max-age=31536000; includeSubDomains`):
 *   the entry still holds. A careless bank's says a month (`max-age=2592000; includeSubDomains`):
 *   it ran out ten days ago, and her browser is where a first visit is. Whichever Alice she is; no
 *   preload list carries the bank (it has not asked). The bank sends the same header today. In a
 *   class round the room decides, as it gives Alice HSTS or not: without, the bank's header said a month.
 * - hstsSubdomain: Alice visited bank.example 10 days ago and her browser noted its header then
 *   (a year's max-age: it holds). A standard bank's header had includeSubDomains, a careless
 *   bank's not (in a class round: as the room gives Alice HSTS or not). Mallory's message lured
 *   Alice to http://login.bank.example/, the bank's login page: that is the name her browser asks
 *   for. The bank had one certificate made 30 days ago for both its names (subjectAltName
 *   bank.example and login.bank.example), and answers for either.
 * - certificateTransparency: a public CT log runs (its P-256 key drawn for the round), which the CA
 *   hands each certificate it issues (round/ct-log.ts); an up-to-date browser (a careful Alice's)
 *   knows the log's key and requires an SCT from it, an old one (a careless Alice's) does not look.
 * - leakedKeyRevocation: the CA certified bank.example 20 days ago for the key that leaked (90
 *   days: 70 left); Mallory holds that key (the round's attacker key pair stands for it) and
 *   the certificate, which is public. This morning the bank made a new key, had it certified,
 *   and asked the CA to revoke the old certificate (key compromise, RFC 5280 §5.3.1): the request
 *   waits for the CA seat (round/revocation.ts). The bank staples the CA's OCSP answer on its new
 *   certificate (good, signed at the round's start). A careful Alice's browser requires a good
 *   stapled answer (hard-fail), a careless one's soft-fails. A bank that orders short-lived
 *   certificates (the bank's behaviour shortLived) had both for 160 hours, with a new key each
 *   time: the one whose key leaked ran out 13 days before the round.
 * Times are the round's game clock, passed in: nothing here reads a machine clock.
 */
import { rootCertificate, signCertificate } from '../pki/certificate.ts';
import type { Certificate } from '../pki/types.ts';
import type { KeyPair } from '../crypto/primitives.ts';
import type { LevelEvent } from '../basics/events.ts';
import type { BankKey } from '../basics/actions.ts';
import type { LevelPki } from '../levels/types.ts';
import type { PreSharedKey } from '../handshake/types.ts';
import { GROUP } from '../messages/tls-codes.ts';
import { tls13TicketPsk } from '../crypto/tls13-key-schedule.ts';
import { sealTicket, type SessionTicket } from '../handshake/tls13-tickets.ts';
import type { Rng } from '../crypto/rng.ts';
import { BANK_STS_HEADER, LAST_VISIT_DAYS_AGO, noteHstsHost, parseStsHeader, RETURNING_STS_HEADERS, SUBDOMAIN_STS_HEADERS, SUBDOMAIN_VISIT_DAYS_AGO, type HstsPolicy, type KnownHstsHost } from '../handshake/hsts.ts';
import { signOcspResponse } from '../pki/ocsp.ts';

/** The look-alike of bank.example she registered (a digit 1 for the letter l). */
export const LOOKALIKE_NAME = 'bank-examp1e.example';
/** The subdomain event: the bank's login page, the name Mallory's message lures Alice to; and how long ago the bank's certificate for both names was made. */
export const LOGIN_NAME = 'login.bank.example';
export const BOTH_NAMES_CERTIFIED_DAYS_AGO = 30;
/**
 * What Mallory called her root: anyone may give a root any name (ASCII, so that `openssl x509`
 * prints it as it reads, without escapes).
 */
export const ROGUE_ROOT_NAME = 'Cafe Wi-Fi Root CA';

const DAY = 86_400;
/** How long the CA's certificates live (round/certification.ts signs them for the same 90 days, as Let's Encrypt does). */
export const CERTIFICATE_DAYS = 90;
/**
 * A short-lived certificate's lifetime: Let's Encrypt's "shortlived" ACME profile issues them for
 * 160 hours (6 days 16 hours), within the CA/Browser Forum's 7 days (10 before 15 March 2026) for
 * a short-lived certificate, which a CA need not answer for by OCSP or CRL.
 */
export const SHORT_LIVED_HOURS = 160;
/** The expired event: how many days ago the bank's certificate ran out. */
export const EXPIRED_DAYS_AGO = 3;

/** The event "encryption without integrity": Alice's monthly transfer, as the bank's form writes it (four digits). */
export const MONTHLY_TRANSFER = { amount: 60, amountDigits: 4 } as const;
/** How that order ends, which Mallory knows without reading it, and what she makes it say. */
export const KNOWN_ENDING = { known: `amount=${String(MONTHLY_TRANSFER.amount).padStart(MONTHLY_TRANSFER.amountDigits, '0')}`, wanted: 'amount=0960' } as const;

export interface EventStage {
  /** The name Alice's browser asks for. */
  target: string;
  /** The key card Alice and the bank share (none is sent), and the records it protects. */
  preSharedKey?: PreSharedKey;
  /** The transfer Alice makes, when the event decides it. */
  order?: { amount: number; amountDigits: number; to?: string };
  /** What Mallory knows of how Alice's order ends, and what she wants it to say. */
  knownEnding?: { known: string; wanted: string };
  /** The certificate the bank starts with: the expired event's (issued long enough ago to have expired), the subdomain event's (for both its names). */
  bankCertificate?: Certificate;
  /** The certificate Mallory starts with (for her look-alike name). */
  attackerCertificate?: Certificate;
  /** Mallory's own root (what the captive portal offers), and the bank.example certificate it signed for her key. */
  rogueRoot?: { root: Certificate; forged: Certificate };
  /** TLS 1.3 key-exchange groups, where the event decides them: the bank's, and the browser's. */
  groups?: { server: readonly number[]; client: readonly number[] };
  /** Both ends also speak TLS 1.2, and whether Alice's browser checks for the downgrade sentinel. */
  tls12?: { checksSentinel: boolean };
  /** Resumption: the bank's ticket key, and the ticket from yesterday's session in Alice's browser (its age counts from when it arrived there). */
  resumption?: { ticketKey: Uint8Array; ticket: SessionTicket };
  /** The first-visit event: no HSTS entry from a visit; the browser's pre-loaded list, and the header the bank sends over HTTPS. */
  hsts?: { preload: KnownHstsHost[]; header: string };
  /** The returning-visit and subdomain events: what her browser noted on her last visit (its expiry by the header's max-age), when that was, and the header the bank sends. */
  returningVisit?: { noted: KnownHstsHost; visitedAt: number; header: string };
  /** The CT event: the log's key, and whether Alice's browser requires an SCT from it. */
  ctLog?: { keys: KeyPair; requiredByBrowser: boolean };
  /**
   * The leaked-key event: the certificate for the key that leaked (Mallory holds both), the bank's
   * new one, the CA's OCSP answer on the new one (good), when the bank asked to revoke the old,
   * and whether Alice's browser requires a good stapled answer (hard-fail).
   */
  leakedKey?: { stolen: Certificate; renewed: Certificate; staple: Uint8Array; requestedAt: number; hardFail: boolean };
}

/** The leaked-key event: how many days ago the CA certified the key that leaked, and how many hours ago the bank asked to revoke it. */
export const LEAKED_CERTIFICATE_DAYS_AGO = 20;
export const REVOCATION_ASKED_HOURS_AGO = 2;

/** The early-data event: the order Alice sends as 0-RTT early data, and how much early data the bank's tickets allow (OpenSSL's default). */
export const EARLY_DATA_ORDER = { to: 'Carol', amount: 60 } as const;
export const MAX_EARLY_DATA = 16_384;

/**
 * Yesterday's session, as the bank left it with Alice (RFC 8446 §4.6.1): its resumption master
 * secret (drawn: the session itself is not replayed) and a ticket nonce make the PSK; the bank
 * sealed PSK, issue time and age_add under its ticket key; the ticket lives 7 days.
 */
function yesterdaysTicket(inputs: EventInputs): NonNullable<EventStage['resumption']> {
  const rng = inputs.ticketRng;
  const ticketKey = inputs.newKey().slice(0, 16);
  const nonce = rng.bytes(8);
  const psk = tls13TicketPsk(rng.bytes(32), nonce);
  const ageAdd = new DataView(rng.bytes(4).buffer).getUint32(0);
  // Issued, and kept by Alice's browser, a day before the round starts (the hop between them left out).
  const issuedAtMs = (inputs.gameClock - DAY) * 1000;
  const ticket = sealTicket(ticketKey, { psk, issuedAtMs, ageAdd, maxEarlyDataSize: MAX_EARLY_DATA }, rng);
  return { ticketKey, ticket: { ticket, psk, ageAdd, lifetime: 7 * DAY, maxEarlyDataSize: MAX_EARLY_DATA, receivedAtMs: issuedAtMs } };
}

/** The harvest event: what the bank speaks, in its order of preference, and what an up-to-date browser offers (Chrome's and Firefox's order). */
export const POST_QUANTUM_GROUPS = {
  server: [GROUP.x25519MlKem768, GROUP.x25519, GROUP.secp256r1],
  upToDateBrowser: [GROUP.x25519MlKem768, GROUP.x25519],
  /** Level 5's own groups: what a browser from before 2024 offers. */
  oldBrowser: [GROUP.x25519, GROUP.secp256r1],
} as const;

export interface EventInputs {
  event: LevelEvent | undefined;
  pki: LevelPki | undefined;
  bankName: string;
  gameClock: number;
  /** The CA the seat signs with (the root, or its intermediate). */
  issuing: { name: string; keys: KeyPair };
  bankKeys: Record<BankKey, KeyPair>;
  attackerKeys: Record<BankKey, KeyPair>;
  /** Her own root's key pair (in nobody's trust store until someone installs it). */
  attackerRootKey: KeyPair;
  /** Serials for the certificates the event makes, in the CA's series. */
  serial: () => number;
  /** A fresh AES-256 key (drawn only when the event needs one). */
  newKey: () => Uint8Array;
  /** Alice's browser is up to date (a careful Alice's): it speaks what today's browsers do. */
  upToDateBrowser: boolean;
  /** The first-visit event: Alice's browser carries bank.example on its HSTS preload list (an up-to-date one does). */
  preloadsBank: boolean;
  /** The HSTS visit events: the bank's header is a careless bank's (a month's max-age at the returning visit; no includeSubDomains at the subdomain event). */
  carelessStsHeader: boolean;
  /** Randomness for yesterday's session (the early-data event's ticket). */
  ticketRng: Rng;
  /** The CT log's key pair (drawn only when the event needs one). */
  ctLogKey: () => KeyPair;
  /** The bank orders short-lived certificates (the leaked-key event's two are 160-hour ones). */
  shortLivedCertificates: boolean;
}

/** What a staged certificate may say other than the usual: its issuer (the CA seat's), serial (the CA's next), lifetime (90 days) and names besides its subject (none). */
interface CertifyOptions {
  issuer?: { name: string; keys: KeyPair };
  serial?: number;
  lifetime?: number;
  alsoNames?: readonly string[];
}

/** A site's certificate for `name`, with the key of the kind the level certifies, signed by the CA seat's issuer unless `options` say otherwise. */
function certify(inputs: EventInputs, pki: LevelPki, name: string, keys: Record<BankKey, KeyPair>, notBefore: number, options: CertifyOptions = {}): Certificate {
  const serial = options.serial ?? inputs.serial(); // drawn first, as the CA's next serial always was
  const { issuer = inputs.issuing, lifetime = CERTIFICATE_DAYS * DAY, alsoNames = [] } = options;
  const spec = pki.certificateKey;
  return signCertificate(
    { serial: BigInt(serial), subject: name, issuer: issuer.name, notBefore, notAfter: notBefore + lifetime, keyType: spec.keyType, keyUsage: [spec.keyUsage], publicKey: keys[spec.of].publicKey, names: [name, ...alsoNames], ca: false },
    issuer.keys.secretKey,
  );
}

/** Her root, made a month before the round for ten years (as a do-it-yourself root is), and her bank.example certificate under it, made the day before. */
function rogueRoot(inputs: EventInputs, pki: LevelPki): NonNullable<EventStage['rogueRoot']> {
  const mallory = { name: ROGUE_ROOT_NAME, keys: inputs.attackerRootKey };
  const root = rootCertificate(ROGUE_ROOT_NAME, mallory.keys, inputs.gameClock - 30 * DAY, inputs.gameClock + 3650 * DAY, 1);
  return { root, forged: certify(inputs, pki, inputs.bankName, inputs.attackerKeys, inputs.gameClock - DAY, { issuer: mallory, serial: 2 }) };
}

/** The certificate whose key leaked, the bank's new one with the CA's good answer on it, and the bank's request (round/revocation.ts). */
function leakedKey(inputs: EventInputs, pki: LevelPki): NonNullable<EventStage['leakedKey']> {
  const { gameClock } = inputs;
  // The same days ago either way: a 90-day certificate has 70 left, a 160-hour one ran out 13 days ago.
  const lifetime = inputs.shortLivedCertificates ? SHORT_LIVED_HOURS * 3600 : CERTIFICATE_DAYS * DAY;
  const stolen = certify(inputs, pki, inputs.bankName, inputs.attackerKeys, gameClock - LEAKED_CERTIFICATE_DAYS_AGO * DAY, { lifetime });
  const renewed = certify(inputs, pki, inputs.bankName, inputs.bankKeys, gameClock - (REVOCATION_ASKED_HOURS_AGO + 1) * 3600, { lifetime });
  const staple = signOcspResponse(renewed, inputs.issuing, { kind: 'good' }, gameClock);
  return { stolen, renewed, staple, requestedAt: gameClock - REVOCATION_ASKED_HOURS_AGO * 3600, hardFail: inputs.upToDateBrowser };
}

/** Her last visit (40 days ago; 10 at the subdomain event): the bank's header then, as her browser noted it (RFC 6797 §8.1.1: from that moment, for max-age). */
function lastVisit(inputs: EventInputs, headers: { standard: string; careless: string } = RETURNING_STS_HEADERS, daysAgo = LAST_VISIT_DAYS_AGO): NonNullable<EventStage['returningVisit']> {
  const header = inputs.carelessStsHeader ? headers.careless : headers.standard;
  const visitedAt = inputs.gameClock - daysAgo * DAY;
  const noted = noteHstsHost(parseStsHeader(header) as HstsPolicy, inputs.bankName, visitedAt)!;
  return { noted, visitedAt, header };
}

/** Her last visit in days at `now` (game seconds), as her panel and the referee say it: how long ago, its max-age, and how long ago that ran out, where it has. */
export function lastVisitInDays(last: { visitedAt: number; header: string; entry: KnownHstsHost }, now: number): { daysAgo: number; header: string; maxAgeDays: number; expiredDaysAgo?: number } {
  const over = now - last.entry.expiresAt!;
  return {
    daysAgo: Math.round((now - last.visitedAt) / DAY),
    header: last.header,
    maxAgeDays: Math.round((last.entry.expiresAt! - last.visitedAt) / DAY),
    ...(over >= 0 ? { expiredDaysAgo: Math.round(over / DAY) } : {}),
  };
}

export function stageEvent(inputs: EventInputs): EventStage {
  const { event, pki, bankName, gameClock } = inputs;
  if (!event) return { target: bankName };
  switch (event) {
    case 'lookalikeDomain':
      return pki ? { target: LOOKALIKE_NAME, attackerCertificate: certify(inputs, pki, LOOKALIKE_NAME, inputs.attackerKeys, gameClock - 2 * DAY) } : { target: bankName };
    case 'expiredCertificate':
      return pki ? { target: bankName, bankCertificate: certify(inputs, pki, bankName, inputs.bankKeys, gameClock - (CERTIFICATE_DAYS + EXPIRED_DAYS_AGO) * DAY) } : { target: bankName };
    case 'rogueRoot':
      return pki ? { target: bankName, rogueRoot: rogueRoot(inputs, pki) } : { target: bankName };
    case 'encryptionWithoutIntegrity':
      return { target: bankName, preSharedKey: { key: inputs.newKey(), records: 'gameCtr' }, order: { ...MONTHLY_TRANSFER }, knownEnding: { ...KNOWN_ENDING } };
    case 'harvestNowDecryptLater':
      return { target: bankName, groups: { server: POST_QUANTUM_GROUPS.server, client: inputs.upToDateBrowser ? POST_QUANTUM_GROUPS.upToDateBrowser : POST_QUANTUM_GROUPS.oldBrowser } };
    case 'versionDowngrade':
      return { target: bankName, tls12: { checksSentinel: inputs.upToDateBrowser } };
    case 'hstsFirstVisit':
      return { target: bankName, hsts: { preload: inputs.preloadsBank ? [{ domain: bankName, includeSubDomains: true, source: 'preloaded' }] : [], header: BANK_STS_HEADER } };
    case 'hstsReturningVisit':
      return { target: bankName, returningVisit: lastVisit(inputs) };
    case 'hstsSubdomain':
      return pki
        ? { target: LOGIN_NAME, returningVisit: lastVisit(inputs, SUBDOMAIN_STS_HEADERS, SUBDOMAIN_VISIT_DAYS_AGO), bankCertificate: certify(inputs, pki, bankName, inputs.bankKeys, gameClock - BOTH_NAMES_CERTIFIED_DAYS_AGO * DAY, { alsoNames: [LOGIN_NAME] }) }
        : { target: bankName };
    case 'certificateTransparency':
      return { target: bankName, ctLog: { keys: inputs.ctLogKey(), requiredByBrowser: inputs.upToDateBrowser } };
    case 'leakedKeyRevocation':
      return pki ? { target: bankName, leakedKey: leakedKey(inputs, pki) } : { target: bankName };
    case 'earlyDataReplay':
      return { target: bankName, resumption: yesterdaysTicket(inputs), order: { ...EARLY_DATA_ORDER, amountDigits: 0 } };
  }
}
