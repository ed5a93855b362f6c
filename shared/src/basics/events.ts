/**
 * Events a teacher (or a room's host) can switch on for a level's round, beside what the level
 * teaches (this file imports nothing: every layer may use it). Each is staged before play
 * (round/events.ts) and explained by its texts (levels/texts/events.ts); a level lists the ones
 * it offers (`LevelModule.events`).
 * - lookalikeDomain: Mallory registered `bank-examp1e.example`, holds a valid certificate for it
 *   and lured Alice there with a link: every check passes — the lesson is the name she asked for.
 * - expiredCertificate: the bank forgot to renew; its certificate expired before the round.
 * - rogueRoot: the café Wi-Fi's captive portal asks Alice to install "the café certificate" —
 *   Mallory's own root; installed, her bank.example certificate passes every check.
 * - encryptionWithoutIntegrity (level 2): Alice and the bank agreed a key in advance, and their
 *   records are AES-CTR without a tag: Mallory cannot read them, but flips bits in them.
 * - harvestNowDecryptLater (level 5): Mallory records the round; "years later" a quantum computer
 *   gives the recording's owner the X25519 secret. An old browser's X25519 session opens; an
 *   up-to-date one's hybrid X25519MLKEM768 share keeps it sealed (its ML-KEM part holds).
 * - versionDowngrade (level 5): the bank speaks TLS 1.3 and TLS 1.2; Mallory edits Alice's
 *   ClientHello to offer only 1.2. The bank answers in 1.2 with the downgrade sentinel in its
 *   random (RFC 8446 §4.1.3): an up-to-date browser aborts on it; an old one goes on, and the
 *   TLS 1.2 Finished catches the edited hello.
 * - earlyDataReplay (level 5): Alice comes back with a session ticket from an earlier visit and
 *   sends "pay 60 to Carol" as 0-RTT early data with her ClientHello; Mallory sends a copy of that
 *   first flight to the bank. A bank with single-use tickets refuses the copy; a careless one pays twice.
 * - hstsFirstVisit (levels 4 and 5): Alice has never visited bank.example, so HSTS from a visit
 *   cannot protect her (RFC 6797 §14.6, the bootstrap gap); a browser whose HSTS preload list
 *   carries the bank (§12.3) goes straight to https://, one without asks http:// first — Mallory's
 *   strip. Over HTTPS the bank's Strict-Transport-Security header (max-age, includeSubDomains,
 *   preload) is noted by her browser for next time.
 * - hstsReturningVisit (levels 4 and 5): Alice visited bank.example 40 days ago, and her browser
 *   noted the bank's Strict-Transport-Security header then (RFC 6797 §8.1.1). Its max-age decides
 *   today (§6.1.1): a year's entry still holds, and her browser goes straight to https://; a
 *   careless bank's 30 days ran out ten days ago, so her browser asks http:// first — Mallory's
 *   strip. While it holds, a certificate error offers no way through (§8.4, §12.1).
 * - hstsSubdomain (levels 4 and 5): Alice visited bank.example 10 days ago and her browser noted
 *   its header, a year's max-age either way. Mallory's message lures her to the bank's login page,
 *   http://login.bank.example/. A header with includeSubDomains covers the subdomain too (§6.1.2,
 *   §8.2): her browser goes straight to https://login.bank.example/. A careless bank's header
 *   without it covers bank.example alone: the browser asks http:// first — Mallory's strip.
 * - certificateTransparency (level 5): every certificate the CA issues goes into a public
 *   Certificate Transparency log (RFC 6962) and carries the log's signed timestamp (SCT). An
 *   up-to-date browser refuses a certificate without one; the bank's monitor reads the log and
 *   spots a bank.example certificate it never asked for — after Mallory has used it once.
 * - leakedKeyRevocation (every certified level): the bank's private key leaked; Mallory holds it and the
 *   bank's still-valid certificate for it. The bank, on a new key and certificate, asked the CA to
 *   revoke the old one; the CA decides, and its OCSP responder says so. A browser that requires
 *   a stapled OCSP answer (hard-fail) refuses Mallory's certificate; one that soft-fails (the
 *   browsers' default) goes on when no answer comes — and Mallory makes sure none does. At a bank
 *   that orders short-lived certificates (its behaviour shortLived) the stolen one has run out:
 *   every browser's date check refuses it, and no browser asks about revocation.
 */
export const LEVEL_EVENTS = ['lookalikeDomain', 'expiredCertificate', 'rogueRoot', 'encryptionWithoutIntegrity', 'harvestNowDecryptLater', 'versionDowngrade', 'earlyDataReplay', 'hstsFirstVisit', 'hstsReturningVisit', 'hstsSubdomain', 'certificateTransparency', 'leakedKeyRevocation'] as const;
export type LevelEvent = (typeof LEVEL_EVENTS)[number];

/** The downgrade event: what Mallory writes into the ClientHello's supported_versions — TLS 1.2 (0x0303) alone, TLS 1.3 crossed off. */
export const DOWNGRADE_EDIT = { field: 'versions', value: '0x0303' } as const;
