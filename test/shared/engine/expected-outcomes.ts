/**
 * What the bots produce, level by level: every level × attacker behaviour × client behaviour
 * × CA behaviour, against the outcome the rules say the referee must give. Written out by hand,
 * cell family by cell family, from GAME.md — not generated from the engine. The scenario matrix
 * plays every cell; rules-doc.test.ts checks that docs/rules.md shows this same table.
 */
import { ATTACKER_BEHAVIOURS, LEVELS, type AttackerBehaviour, type CaBehaviour, type ClientBehaviour, type Level, type LevelEvent, type Outcome, type ServerBehaviour } from '@heist/shared';

export type Expect = (client: ClientBehaviour, ca: CaBehaviour) => Outcome;
const always = (o: Outcome): Expect => () => o;
const byClient = (careful: Outcome, careless: Outcome): Expect => (c) => (c === 'careful' ? careful : careless);
const byCa = (strict: Outcome, sloppy: Outcome): Expect => (_c, ca) => (ca === 'strict' ? strict : sloppy);

export const EXPECTED: Record<Level, Record<AttackerBehaviour, Expect>> = {
  // Postcard: everything readable and editable. Unattacked, it came through — but not secure.
  1: {
    none: always('unprotected'),
    passive: always('eavesdropped'),
    keySubstitution: always('eavesdropped'), // no key to swap: she just reads
    fakeCertificate: always('eavesdropped'),
    fraudulentCsr: always('eavesdropped'),
    tamper: always('tampered'),
    replay: always('tampered'), // the bank pays twice
    strip: always('eavesdropped'), // nothing to strip
    ownNameCertificate: always('eavesdropped'), // no certificates: she just reads
    ownCertificateAsCa: always('eavesdropped'),
  },
  // One key, sent in the clear.
  2: {
    none: always('unprotected'),
    passive: always('eavesdropped'),
    keySubstitution: always('eavesdropped'),
    fakeCertificate: always('eavesdropped'),
    fraudulentCsr: always('eavesdropped'),
    tamper: always('tampered'), // she holds the key: re-sealed edits pass the tag
    replay: always('attackDetected'), // the game's own visible sequence check
    strip: always('eavesdropped'), // no http:// to strip: she listens, and the key is on the wire
    ownNameCertificate: always('eavesdropped'),
    ownCertificateAsCa: always('eavesdropped'),
  },
  // Two keys, no CA: a swapped key goes unnoticed; unattacked, nothing was checked.
  3: {
    none: always('unprotected'),
    passive: always('unprotected'), // she cannot read the sealed key, but nothing proved whose key it was
    keySubstitution: always('impersonated'),
    fakeCertificate: always('impersonated'), // no certificates: her own key
    fraudulentCsr: always('unprotected'), // no CA to fool; she only listens, to ciphertext
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: always('unprotected'), // no http:// to strip: she only listens
    ownNameCertificate: always('unprotected'), // no CA: she only listens, to ciphertext
    ownCertificateAsCa: always('unprotected'),
  },
  // Certified, TLS 1.2 with RSA key transport. The careful client has HSTS; the careless one is on a first visit.
  4: {
    none: always('secure'),
    passive: always('secure'),
    keySubstitution: byClient('attackDetected', 'impersonated'),
    fakeCertificate: byClient('attackDetected', 'impersonated'),
    fraudulentCsr: byCa('secure', 'impersonated'), // a mis-issued certificate fools even a careful client
    tamper: always('attackDetected'),
    replay: always('attackDetected'), // implicit sequence number: the replay fails its tag
    strip: byClient('secure', 'eavesdropped'), // HSTS: no plain request to strip
    ownNameCertificate: byClient('attackDetected', 'impersonated'), // valid, but for mallory.example: only the name check fails
    ownCertificateAsCa: always('secure'), // the root signs the bank itself here: no chain to forge, she only listens
  },
  // 4e (id 6): TLS 1.2 with ECDHE — as level 5, the bank's one-time share signed with its certificate's key.
  6: {
    none: always('secure'),
    passive: always('secure'), // the leaked key opens nothing: one-time key shares
    keySubstitution: always('attackDetected'), // the genuine certificate, her share: ServerKeyExchange's signature fails (decrypt_error)
    fakeCertificate: byClient('attackDetected', 'impersonated'),
    fraudulentCsr: byCa('secure', 'impersonated'),
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: byClient('secure', 'eavesdropped'),
    ownNameCertificate: byClient('attackDetected', 'impersonated'), // she signs her share with her own certificate's key: only the name check fails
    ownCertificateAsCa: always('secure'),
  },
  // Forward secrecy, TLS 1.3.
  5: {
    none: always('secure'),
    passive: always('secure'),
    keySubstitution: always('attackDetected'), // CertificateVerify: no click-through for that
    fakeCertificate: byClient('attackDetected', 'impersonated'),
    fraudulentCsr: byCa('secure', 'impersonated'),
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: byClient('secure', 'eavesdropped'),
    ownNameCertificate: byClient('attackDetected', 'impersonated'), // CertificateVerify passes: she holds that certificate's key
    ownCertificateAsCa: always('secure'),
  },
  // 6, the chain of trust (id 7): level 4e's handshake, the bank's certificate signed by an intermediate the root certified; the bank sends both.
  7: {
    none: always('secure'),
    passive: always('secure'),
    keySubstitution: always('attackDetected'), // the genuine chain, her share: ServerKeyExchange's signature fails
    fakeCertificate: byClient('attackDetected', 'impersonated'), // her own root is in no trust store
    fraudulentCsr: byCa('secure', 'impersonated'), // the intermediate mis-issues: every link is genuine
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: byClient('secure', 'eavesdropped'),
    ownNameCertificate: byClient('attackDetected', 'impersonated'), // a genuine chain for mallory.example: only the name check fails
    ownCertificateAsCa: byClient('attackDetected', 'impersonated'), // every signature verifies; her certificate is no CA (basicConstraints, keyUsage, pathLength)
  },
};

/** The levels that offer the certificate events (every certified level), as the matrix plays them. */
export const EVENT_LEVELS = [4, 6, 5, 7] as const satisfies readonly Level[];

/**
 * What the bots produce with an event switched on (basics/events.ts), with a strict CA (a sloppy
 * one changes only the fraudulent CSR, as without the event). Written by hand from the issue:
 * - a look-alike name: her site is in place before play and every check passes, for the very
 *   name Alice asked for — whatever else Mallory does, and however careful the client;
 * - an expired certificate: the careful client refuses the bank's own certificate — the bank's
 *   error ("Wrong certificate"), not an attack, nor a false alarm; the careless one clicks
 *   through, and the round is only as safe as whoever attacks. A bot bank with a certificate in
 *   hand has nothing to prepare, so Alice connects at once: an attack that waits for the CA's
 *   answer (her mallory.example certificate) comes too late — except at level 6, where the bank
 *   first chooses its chain;
 * - a rogue root: her gateway shows Alice the bank.example certificate her own root signed,
 *   whatever else Mallory does. The careless client installed that root from the café's page:
 *   every check passes (Impersonated, padlock and all); the careful one refused it, so the same
 *   certificate fails (unknown_ca) and she goes back. Only stripping gets in first, on the
 *   careless client's plain http:// request, as without the event.
 */
type ByClient = (client: ClientBehaviour) => Outcome;
const byClientOnly = (careful: Outcome, careless: Outcome): ByClient => (c) => (c === 'careful' ? careful : careless);

/** An expired-certificate row: what differs between levels is the key substitution and whether her certificate comes in time. */
function expiredRow(keySubstitution: ByClient, withOwnCertificate: ByClient): Record<AttackerBehaviour, ByClient> {
  return {
    none: byClientOnly('misconfigured', 'unprotected'),
    passive: byClientOnly('misconfigured', 'unprotected'), // nothing readable: the careless click-through carries on under TLS
    keySubstitution,
    fakeCertificate: byClientOnly('attackDetected', 'impersonated'),
    fraudulentCsr: byClientOnly('misconfigured', 'unprotected'), // the strict CA refuses her: the bank's expired certificate is all there is
    tamper: byClientOnly('misconfigured', 'attackDetected'), // the careful client never gets as far as a record
    replay: byClientOnly('misconfigured', 'attackDetected'),
    strip: byClientOnly('misconfigured', 'eavesdropped'),
    ownNameCertificate: withOwnCertificate,
    ownCertificateAsCa: withOwnCertificate, // at 4, 4e and 5 she only listens
  };
}

/** Every attack ends Impersonated: her site is the event's, and every check passes there. */
const lookalikeRow = (): Record<AttackerBehaviour, ByClient> => Object.fromEntries(ATTACKER_BEHAVIOURS.map((b): [AttackerBehaviour, ByClient] => [b, () => 'impersonated'])) as Record<AttackerBehaviour, ByClient>;

/** Refused, the root's certificate is caught; installed, it passes: the client's choice decides, not the attack. */
const rogueRootRow = (): Record<AttackerBehaviour, ByClient> => ({
  ...(Object.fromEntries(ATTACKER_BEHAVIOURS.map((b): [AttackerBehaviour, ByClient] => [b, byClientOnly('attackDetected', 'impersonated')])) as Record<AttackerBehaviour, ByClient>),
  strip: byClientOnly('attackDetected', 'eavesdropped'), // the careless first visit asks http:// first: stripped before any certificate
});

/**
 * Encryption without integrity, at level 2: a key card (no key on the wire) and AES-CTR without a
 * tag. Nothing is readable, so every attack that falls back to listening hears only ciphertext:
 * the transfer goes through, unharmed but not secure. The tamper bot knows how the order ends and
 * flips it (0060 to 0960): the bank pays the changed order. A replay is still caught by the
 * game's own visible sequence check. No certificate, no decision: careful and careless alike.
 */
const withoutIntegrityRow = (): Record<AttackerBehaviour, ByClient> => ({
  ...(Object.fromEntries(ATTACKER_BEHAVIOURS.map((b): [AttackerBehaviour, ByClient] => [b, () => 'unprotected'])) as Record<AttackerBehaviour, ByClient>),
  tamper: () => 'tampered',
  replay: () => 'attackDetected',
});

/**
 * Harvest now, decrypt later, at level 5: the bank speaks X25519MLKEM768 first; the careful
 * client's up-to-date browser offers it, the careless client's old one X25519 alone. Whatever
 * Mallory did, her recording of a session that carried Alice's request opens years later when
 * X25519 alone made its keys: Eavesdropped — above Attack detected, as the precedence says (a
 * tamper or replay caught today does not un-send the PIN she recorded). An attack that stops the
 * handshake before the request, or puts her in the middle, ends as without the event. The careful
 * client's hybrid session stays shut: every cell as at level 5.
 */
const harvestRow = (): Record<AttackerBehaviour, ByClient> => ({
  none: () => 'secure', // nobody on the Wi-Fi keeps a recording
  passive: byClientOnly('secure', 'eavesdropped'),
  keySubstitution: () => 'attackDetected', // CertificateVerify fails before any request
  fakeCertificate: byClientOnly('attackDetected', 'impersonated'), // in the middle: her session, not the bank's
  fraudulentCsr: byClientOnly('secure', 'eavesdropped'), // the strict CA refuses her: she only listens
  tamper: byClientOnly('attackDetected', 'eavesdropped'),
  replay: byClientOnly('attackDetected', 'eavesdropped'),
  strip: byClientOnly('secure', 'eavesdropped'), // careless: stripped, she reads the plain request at once
  ownNameCertificate: byClientOnly('attackDetected', 'impersonated'),
  ownCertificateAsCa: byClientOnly('secure', 'eavesdropped'), // at level 5 she only listens
});

/**
 * A downgrade to TLS 1.2, at level 5: both ends speak 1.2 beside 1.3. The tamper bot's attack is
 * the downgrade (TLS 1.3 crossed off Alice's offer): the careful client's up-to-date browser stops
 * at the sentinel in the bank's random; the careless client's old one goes on, and the bank stops
 * at her Finished (the extended master secret covers the edited hello) — Attack detected either
 * way, by another check (version-downgrade.test.ts names each). Every other attack meets a
 * browser that offers 1.3, and the bank answers in 1.3: every cell as at level 5.
 */
const downgradeRow = (): Record<AttackerBehaviour, ByClient> => ({
  none: () => 'secure',
  passive: () => 'secure',
  keySubstitution: () => 'attackDetected', // CertificateVerify fails
  fakeCertificate: byClientOnly('attackDetected', 'impersonated'),
  fraudulentCsr: () => 'secure', // the strict CA refuses her: she only listens
  tamper: () => 'attackDetected', // careful: the sentinel; careless: Finished, at the bank
  replay: () => 'attackDetected',
  strip: byClientOnly('secure', 'eavesdropped'),
  ownNameCertificate: byClientOnly('attackDetected', 'impersonated'),
  ownCertificateAsCa: () => 'secure', // at level 5 she only listens
});

/** Every cell as at the level itself with a strict CA: for events that change nothing the bots do there. */
const asAtLevel = (level: Level): Record<AttackerBehaviour, ByClient> =>
  Object.fromEntries(ATTACKER_BEHAVIOURS.map((b): [AttackerBehaviour, ByClient] => [b, (client) => EXPECTED[level][b](client, 'strict')])) as Record<AttackerBehaviour, ByClient>;

/**
 * Resumption with 0-RTT early data, at level 5: Alice comes back with yesterday's ticket and her
 * order rides in her first flight as early data. Nothing else changes what the bots do: every
 * cell as at level 5 with a strict CA (a proxy knows no ticket, so it makes Alice do a full
 * handshake, and her order goes again inside that session). The replay bot sends a copy of her
 * first flight: the standard bank's single-use tickets refuse it (Attack detected, paid once);
 * the careless bank reads the early data again and pays twice (Tampered).
 */
const earlyDataRow = (bank: ServerBehaviour): Record<AttackerBehaviour, ByClient> => ({
  ...asAtLevel(5),
  replay: () => (bank === 'careless' ? 'tampered' : 'attackDetected'),
});

/**
 * A first visit (HSTS), at levels 4 and 5: no HSTS entry from a visit; the careful client's
 * browser has the bank on its preload list, the careless client's has no list. That is the level's
 * own split (there the careful client had HSTS from an earlier visit): every cell as at the level
 * with a strict CA — the strip bot still wins against the careless client only. What changes is
 * why (the referee's words, hsts-first-visit.test.ts) and the header on the wire.
 */
const firstVisitRow = (level: 4 | 5): Record<AttackerBehaviour, ByClient> => asAtLevel(level);

/**
 * A returning visit (HSTS), at levels 4 and 5: both Alices visited bank.example 40 days ago and
 * noted the header the bank sent then. The standard bank's said a year: the entry holds for both,
 * so every cell is the careful client's at the level — the strip bot finds nothing to strip, and
 * the careless client cannot click through a certificate error (RFC 6797 §12.1), so she goes back
 * as the careful one does. The careless bank's said a month: the entry ran out ten days ago, so
 * both are on a first visit — every cell as at the level for each client, except that the strip
 * bot wins against the careful client too (she has no HSTS left, and nothing else to see).
 */
const returningVisitRow = (level: 4 | 5, bank: ServerBehaviour): Record<AttackerBehaviour, ByClient> =>
  bank === 'standard'
    ? (Object.fromEntries(ATTACKER_BEHAVIOURS.map((b): [AttackerBehaviour, ByClient] => [b, () => EXPECTED[level][b]('careful', 'strict')])) as Record<AttackerBehaviour, ByClient>)
    : { ...asAtLevel(level), strip: () => 'eavesdropped' };

/**
 * HSTS and subdomains, at levels 4 and 5: both Alices visited bank.example 10 days ago (a year's
 * max-age: the entry holds) and are sent to http://login.bank.example/, which the bank's
 * certificate names too. The standard bank's header had includeSubDomains: the entry covers the
 * login page, so every cell is the careful client's at the level, as at a returning visit whose
 * year holds. The careless bank's had not: the login page is not a Known HSTS Host, so both ask
 * http:// first — every cell as at the level, except that the strip bot wins against the careful
 * client too. The same cells as the returning visit's, for another missing piece of the header —
 * but one: the bank holds its certificate for both names before the round, so play begins before
 * Mallory's own-name certificate comes (as at the expired event): she only listens, Secure.
 */
const subdomainRow = (level: 4 | 5, bank: ServerBehaviour): Record<AttackerBehaviour, ByClient> => ({ ...returningVisitRow(level, bank), ownNameCertificate: () => 'secure' });

/**
 * Certificate Transparency, at level 5: every certificate the CA issues is logged with its SCT,
 * and the careful client's up-to-date browser requires one. The strict CA refuses Mallory, and
 * every certificate a bot shows is either logged (the bank's, her own name's) or fails an earlier
 * check (a self-signed one): every cell as at level 5 with a strict CA. With the sloppy CA she
 * gets a logged bank.example certificate, whose SCT passes — CT does not stop the first attack:
 * every cell as at level 5 with a sloppy CA (Impersonated); what changes is that the bank's
 * monitor spots it (its points and the referee's words, certificate-transparency.test.ts).
 */
const transparencyRow = (ca: CaBehaviour): Record<AttackerBehaviour, ByClient> =>
  Object.fromEntries(ATTACKER_BEHAVIOURS.map((b): [AttackerBehaviour, ByClient] => [b, (client) => EXPECTED[5][b](client, ca)])) as Record<AttackerBehaviour, ByClient>;

/**
 * A leaked key, revoked, at every certified level: Mallory holds the key of the bank's old
 * certificate (valid 70 more days); the bank asked the CA to revoke it and both CA bots do. Every
 * attack that shows a certificate shows that one, and proves its key (it opens the pre-master at
 * 4, signs at 4e, 5 and 6). Her gateway staples no OCSP answer (the CA's says revoked): the
 * careful client's hard-fail browser refuses (Attack detected), the careless client's soft-fail
 * one goes on (Impersonated). The other attacks never show a certificate: every cell as at the
 * level (the bank's own staple is good). At level 6 her own certificate as a CA is an attack that
 * shows a certificate too; elsewhere that bot only listens.
 */
const leakedKeyRow = (level: Level, ownCertificateAsCaShows: boolean): Record<AttackerBehaviour, ByClient> => ({
  ...asAtLevel(level),
  keySubstitution: byClientOnly('attackDetected', 'impersonated'),
  fakeCertificate: byClientOnly('attackDetected', 'impersonated'),
  fraudulentCsr: byClientOnly('attackDetected', 'impersonated'),
  ownNameCertificate: byClientOnly('attackDetected', 'impersonated'),
  ...(ownCertificateAsCaShows ? { ownCertificateAsCa: byClientOnly('attackDetected', 'impersonated') } : {}),
});

/**
 * The same leak at a bank that orders short-lived certificates (160 hours): the stolen one ran
 * out 13 days before the round. Every browser's date check fails it and none asks about
 * revocation: the careful client refuses on the dates (Attack detected); the careless client's
 * browser warns too, and she clicks through, as at every warning (Impersonated — the referee says
 * so, and that HSTS would have left no way through). The same outcomes as at the standard bank,
 * for another check: leaked-key-revocation.test.ts names it, and plays the CA that refuses the
 * bank, whose refusal no longer lets the stolen key through.
 */
const shortLivedLeakRow = leakedKeyRow;

/** Events whose cells also depend on another defender's behaviour: the rows for a bank other than the standard one, or a CA other than the strict one. */
export const EVENT_EXPECTED_BY_BANK: { readonly [E in LevelEvent]?: { bank: ServerBehaviour; ca?: CaBehaviour; rows: Partial<Record<Level, Record<AttackerBehaviour, ByClient>>> } } = {
  earlyDataReplay: { bank: 'careless', rows: { 5: earlyDataRow('careless') } },
  hstsReturningVisit: { bank: 'careless', rows: { 4: returningVisitRow(4, 'careless'), 5: returningVisitRow(5, 'careless') } },
  hstsSubdomain: { bank: 'careless', rows: { 4: subdomainRow(4, 'careless'), 5: subdomainRow(5, 'careless') } },
  certificateTransparency: { bank: 'standard', ca: 'sloppy', rows: { 5: transparencyRow('sloppy') } },
  leakedKeyRevocation: { bank: 'shortLived', rows: { 4: shortLivedLeakRow(4, false), 6: shortLivedLeakRow(6, false), 5: shortLivedLeakRow(5, false), 7: shortLivedLeakRow(7, true) } },
};

/** How the rules page and the matrix name the other defenders' column: "standard bank" or "sloppy CA". */
export const otherDefender = (entry: { bank: ServerBehaviour; ca?: CaBehaviour }): string => (entry.ca ? `${entry.ca} CA` : `${BANK_WORDS[entry.bank]} bank`);
const BANK_WORDS: Record<ServerBehaviour, string> = { standard: 'standard', careless: 'careless', shortLived: 'short-lived' };

export const EVENT_EXPECTED: { readonly [E in LevelEvent]: Partial<Record<Level, Record<AttackerBehaviour, ByClient>>> } = {
  lookalikeDomain: { 4: lookalikeRow(), 6: lookalikeRow(), 5: lookalikeRow(), 7: lookalikeRow() },
  expiredCertificate: {
    4: expiredRow(byClientOnly('attackDetected', 'impersonated'), byClientOnly('misconfigured', 'unprotected')),
    6: expiredRow(byClientOnly('attackDetected', 'attackDetected'), byClientOnly('misconfigured', 'unprotected')), // 4e: the signature over the share fails
    5: expiredRow(byClientOnly('attackDetected', 'attackDetected'), byClientOnly('misconfigured', 'unprotected')), // CertificateVerify fails
    7: expiredRow(byClientOnly('attackDetected', 'attackDetected'), byClientOnly('attackDetected', 'impersonated')), // the bank's choice of chain gives her the moment
  },
  rogueRoot: { 4: rogueRootRow(), 6: rogueRootRow(), 5: rogueRootRow(), 7: rogueRootRow() },
  encryptionWithoutIntegrity: { 2: withoutIntegrityRow() },
  harvestNowDecryptLater: { 5: harvestRow() },
  versionDowngrade: { 5: downgradeRow() },
  earlyDataReplay: { 5: earlyDataRow('standard') },
  hstsFirstVisit: { 4: firstVisitRow(4), 5: firstVisitRow(5) },
  hstsReturningVisit: { 4: returningVisitRow(4, 'standard'), 5: returningVisitRow(5, 'standard') },
  hstsSubdomain: { 4: subdomainRow(4, 'standard'), 5: subdomainRow(5, 'standard') },
  certificateTransparency: { 5: transparencyRow('strict') },
  leakedKeyRevocation: { 4: leakedKeyRow(4, false), 6: leakedKeyRow(6, false), 5: leakedKeyRow(5, false), 7: leakedKeyRow(7, true) },
};

/** The levels an event's cells are written for, in teaching order. */
export const expectedLevelsOf = (event: LevelEvent): Level[] => LEVELS.filter((level) => EVENT_EXPECTED[event][level] !== undefined);
