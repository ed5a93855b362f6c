/**
 * What each event (basics/events.ts) says that only the server sends: the refusal at a level
 * without it, the debrief's note, the referee's words where the event decides the verdict, and the
 * inspector's words for changed records. What the browser shows (name, briefing) is in
 * events-page.ts; this file adds to it and the browser never loads it. No cryptography imported.
 */
import type { LevelEvent } from '../../basics/events.ts';
import { EVENT_PAGE_TEXTS, type EventPageTexts } from './events-page.ts';
import { TLS12_RECORD_FRAGMENT, TLS13_RECORD_FRAGMENT } from './records.ts';

export interface EventServerTexts {
  /** What it needs of a level, as the refusal at another level says it ("needs certificates"). */
  needs: string;
  /** Said in the debrief of every round with the event. */
  debriefNote: string;
  /** What an unattacked round lacked, where the event changes it ("Unharmed, not secure: the transfer went through unharmed, but …"). */
  unprotected?: string;
  /** Where the event changes the level's records: what the inspector says their bytes are (LevelTexts.wire, LevelTexts.recordFragment). */
  wire?: string;
  recordFragment?: string;
}

export type EventTexts = EventPageTexts & EventServerTexts;

export const EVENT_TEXTS: Readonly<Record<LevelEvent, EventTexts>> = {
  lookalikeDomain: {
    ...EVENT_PAGE_TEXTS.lookalikeDomain,
    needs: 'needs certificates',
    debriefNote:
      'A look-alike name: the certificate was valid, for exactly the name Alice’s browser asked for. HTTPS proves that you reach the name you asked for, not that you asked for the right one — a bookmark, a typed address or a password manager that fills in only on bank.example would have kept her PIN at the bank.',
  },
  expiredCertificate: {
    ...EVENT_PAGE_TEXTS.expiredCertificate,
    needs: 'needs certificates',
    debriefNote:
      'An expired certificate: the bank forgot to renew. Alice’s browser was right to warn; the referee calls it the bank’s error, not an attack. Clicking through worked this time only because nobody attacked — the same click lets a forged certificate through.',
  },
  rogueRoot: {
    ...EVENT_PAGE_TEXTS.rogueRoot,
    needs: 'needs certificates',
    debriefNote:
      'A rogue root: every check a browser makes ends at its trust store. A root Alice installs — from a café’s page, or with a work laptop’s set-up — makes its owner’s certificates pass every check for every site, padlock and all, until she removes it. Refused, the same certificate fails (unknown_ca). A café never needs you to install a root; and DigiNotar (2011) showed that a root in the store is only as honest as the CA behind it.',
  },
  encryptionWithoutIntegrity: {
    ...EVENT_PAGE_TEXTS.encryptionWithoutIntegrity,
    needs: 'changes level 2’s one key',
    debriefNote:
      'Encryption without integrity: AES-CTR kept the PIN secret — nobody without the key read it — but nothing checked the bytes, so flipped bits arrive as a different order. Encryption hides; it does not protect from change. A tag does: AES-GCM is the same CTR plus a tag, and the same flip fails it.',
    wire: 'Not TLS: the game’s own construction. The record borrows TLS’s 5-byte header, then carries an 8-byte sequence number and AES-256-CTR ciphertext — no tag. The key never crossed the Wi-Fi: Alice and the bank agreed it in advance.',
    recordFragment:
      "The game's own record: the first 8 bytes are the sequence number, sent in the clear, and the receiver checks it (a replay shows as out of sequence). Then the AES-256-CTR ciphertext, exactly as long as the plaintext — and nothing after it: no tag, so nobody can tell a changed byte.",
    unprotected: 'nothing protected the order from change: the records were encrypted (AES-CTR, under a key agreed in advance) but carried no tag, so flipped bits would have gone unnoticed',
  },
  harvestNowDecryptLater: {
    ...EVENT_PAGE_TEXTS.harvestNowDecryptLater,
    needs: 'needs TLS 1.3’s key shares',
    debriefNote:
      'Harvest now, decrypt later: forward secrecy protects a recording from a leaked server key, not from a quantum computer that breaks X25519 itself. Today’s browsers add ML-KEM (X25519MLKEM768), built to resist one: that recording stays shut.',
  },
  versionDowngrade: {
    ...EVENT_PAGE_TEXTS.versionDowngrade,
    needs: 'needs a bank that speaks TLS 1.3',
    debriefNote:
      'A downgrade: Mallory took TLS 1.3 out of Alice’s offer. The bank, speaking 1.3, marked its 1.2 answer with the sentinel DOWNGRD in its random: an up-to-date browser stops right there. An old one carries on, and TLS 1.2’s Finished still catches the edited hello — unless Mallory can break the 1.2 key exchange as it runs (FREAK, Logjam), when only the sentinel saves Alice.',
    wire: 'TLS itself, as the RFCs write it — TLS 1.3 (RFC 8446, TLS_AES_128_GCM_SHA256), or TLS 1.2 (RFC 5246 with RFC 8422’s ECDHE, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) when the bank answers in 1.2: OpenSSL reads it and Wireshark shows it — record → handshake → extensions. In TLS 1.3 every record after the ServerHello is encrypted and says application_data; in TLS 1.2, every record after ChangeCipherSpec.',
    recordFragment: `In TLS 1.3: ${TLS13_RECORD_FRAGMENT} In TLS 1.2: ${TLS12_RECORD_FRAGMENT}`,
  },
  earlyDataReplay: {
    ...EVENT_PAGE_TEXTS.earlyDataReplay,
    needs: 'needs TLS 1.3’s session tickets',
    debriefNote:
      'Early data (0-RTT) saves a round trip but is not protected against replay: its keys come from the ticket and the ClientHello alone. The ticket’s age in the hello lets a bank refuse an old copy (a freshness window, RFC 8446 §8.3: “on the order of ten seconds”) — that narrows replay to seconds, it does not stop a copy sent at once. Only taking each ticket once, or remembering the ClientHellos seen (§8.1, §8.2), does; or accepting only safe requests as early data — never a payment.',
  },
  hstsFirstVisit: {
    ...EVENT_PAGE_TEXTS.hstsFirstVisit,
    needs: 'needs HTTPS with a plain http:// first step',
    debriefNote:
      'A first visit: HSTS is learned from the bank’s own HTTPS answer, so a browser that has never been there asks http:// first — the one request Mallory needs (RFC 6797 §14.6). Only a preload list built into the browser (§12.3) protects a first visit. After one good HTTPS visit the header is noted for max-age seconds, for every subdomain too with includeSubDomains.',
  },
  hstsReturningVisit: {
    ...EVENT_PAGE_TEXTS.hstsReturningVisit,
    needs: 'needs HTTPS with a plain http:// first step',
    debriefNote:
      'A returning visit: HSTS lasts max-age seconds from the last header the browser received over HTTPS (RFC 6797 §6.1.1, §8.1.1). A year’s entry sent Alice’s browser straight to https:// and left no click-through on a certificate error (§12.1); a month’s had run out, so her browser asked http:// first, as on a first visit — the one request Mallory needs. A bank should send a long max-age (a year, as preload lists ask) with includeSubDomains.',
  },
  hstsSubdomain: {
    ...EVENT_PAGE_TEXTS.hstsSubdomain,
    needs: 'needs HTTPS with a plain http:// first step',
    debriefNote:
      'HSTS and subdomains: Alice’s browser remembered bank.example from her visit 10 days ago, for a year. A header with includeSubDomains covers every name under it too, so http://login.bank.example/ became https:// before anything was sent; without it, the entry covers bank.example alone, and the login page’s first request went out in plain http:// for Mallory to strip. The preload list asks for includeSubDomains for this reason.',
  },
  certificateTransparency: {
    ...EVENT_PAGE_TEXTS.certificateTransparency,
    needs: 'is played at TLS 1.3 in this game (browsers require SCTs at every version)',
    debriefNote:
      'Certificate Transparency makes mis-issuance visible, not impossible: a certificate logged with its SCT passes Alice’s checks the first time, but the bank’s log monitor sees every certificate for its name. One it never asked for is proof of a CA’s mistake — the bank would now ask the CA to revoke it. A certificate kept out of the log carries no SCT, and a browser that requires CT refuses it.',
  },
  leakedKeyRevocation: {
    ...EVENT_PAGE_TEXTS.leakedKeyRevocation,
    needs: 'needs certificates',
    debriefNote:
      'A leaked key: only the CA can take back a certificate, by revoking it — and a certificate says nothing about revocation by itself: the browser must hear the CA’s answer. Stapled OCSP brings it into the handshake; once it says revoked, Mallory staples none, so only a hard-fail browser refuses. Soft-fail browsers go on when the answer is missing, which is exactly what an attacker arranges.',
  },
};

/** The leak comparison's rows for a leaked ticket key (referee/ticket-key.ts): what it opens of a resumed session, part by part. */
export const TICKET_KEY_WORDS = {
  leakRows: [
    {
      part: 'earlyData',
      name: 'Level 5, resumed with a ticket: its 0-RTT early data',
      how: 'TLS 1.3 resumed with a session ticket, and the bank’s ticket key leaks: it opens the ticket, so its secret (the PSK) — and the 0-RTT early data’s keys came from the PSK and the ClientHello alone',
      opens: true,
    },
    {
      part: 'session',
      name: 'Level 5, resumed with a ticket (psk_dhe_ke): after the handshake',
      how: 'TLS 1.3 resumed with a ticket and a fresh key exchange: the leaked ticket key gives the PSK, but these keys also needed a fresh X25519 secret, deleted after the handshake (forward secrecy)',
      opens: false,
    },
    {
      part: 'pskKe',
      name: 'Level 5, resumed with the ticket alone (psk_ke)',
      how: 'TLS 1.3 resumed with the ticket alone: the leaked ticket key gives the PSK, and without a fresh key exchange every key came from it — the whole session opens',
      opens: true,
    },
  ],
} as const;

/** The referee's words where the event decides the verdict. */
export const EVENT_VERDICTS = {
  lookalike: (asked: string, bank: string) =>
    `Alice followed a link to ${asked}, not ${bank}: Mallory's site there showed a valid certificate for that very name, so every check passed, and Alice sent her PIN to it (it relayed the order to the bank). TLS did its job — it protected the connection to the name Alice asked for, which was the wrong one`,
  lookalikeSpotted: (asked: string) =>
    `Alice's browser reached ${asked} and every check passed, but she read the name in the address bar and closed the connection before sending her PIN: the name was the attack, and she caught it`,
  expired: (details: string) =>
    `the bank's own certificate had expired (${details}): the bank forgot to renew it — an operator's error, not an attack, and no false alarm. Her browser was right to stop; the bank must renew before the old certificate runs out`,
  rogueRoot: (root: string) =>
    `Alice had installed “${root}”, the café Wi-Fi’s certificate — Mallory’s own root — so her browser took the bank.example certificate Mallory signed with it for the bank’s: the path ended at a root in her trust store, and the name, dates and key were right. Every check passed and the padlock showed while Mallory read everything. The CA did nothing wrong — it never signed that certificate: Alice’s trust store was changed`,
  rogueRootRefused: (root: string, details: string) =>
    `Alice had refused to install “${root}”, the café Wi-Fi’s certificate, so her trust store held only the roots her browser came with: the bank.example certificate Mallory signed with that root failed her check (${details}), and she went back`,
  downgradeCaughtByFinished: (what: string) =>
    `Mallory edited Alice's ClientHello (${what}) to offer only TLS 1.2, and the bank answered in TLS 1.2 with the downgrade sentinel in its random — but Alice's old browser does not look for it and carried on. TLS 1.2's own check caught the edit one step later: the bank's keys and Finished cover the hello it received, Alice's the hello she sent, so her Finished failed its tag at the bank. Had Mallory been able to break the TLS 1.2 key exchange as it ran (export-grade keys: FREAK, Logjam), she could have fixed up both Finished messages, and only the sentinel would have stood`,
  flipped: (amount: number, to: string) =>
    `Mallory flipped bits in Alice's encrypted order without the key, and the bank decrypted it to "pay ${amount} to ${to}" and paid: AES-CTR has no tag, so nothing told the bank the bytes had changed. The encryption hid the PIN; it did not protect the order`,
  harvested: (pin: string) =>
    `every check passed today, but Alice’s old browser made the keys with X25519 alone, and Mallory kept her recording. Years later a quantum computer breaks X25519 — the game’s stated fiction: it hands her the X25519 secret such a machine would compute — and the recording opens: she reads the PIN ${pin} and the order. Secure today, not for as long as the secret had to last`,
  earlyDataReplayed: (times: number, amount: number, to: string) =>
    `Mallory sent a copy of Alice’s first flight — her ClientHello with yesterday’s ticket, and the 0-RTT early data behind it — and the bank, which takes a ticket as often as it comes, read the early data again: it carried out “pay ${amount} to ${to}” ${times} times. She never read a byte of it: the early data’s keys come from the ticket and the ClientHello alone, so her copy made them again. The bank needs single-use tickets (RFC 8446 §8.1), or to refuse payments sent as early data`,
  earlyDataReplayRefused:
    'Mallory sent a copy of Alice’s first flight — her ClientHello with yesterday’s ticket, and the 0-RTT early data behind it — but the bank takes each ticket once (RFC 8446 §8.1): the second time it refused the ticket and skipped the early data unread. Alice’s transfer went through once',
  earlyDataReplayTooLate:
    'Mallory sent a copy of Alice’s first flight — her ClientHello with yesterday’s ticket, and the 0-RTT early data behind it — but she sent it late: the ticket’s age in the hello (which the binder covers, so she cannot change it) said it should have arrived more than 10 seconds earlier. The bank’s freshness check (RFC 8446 §8.3) skipped its early data unread, and Alice’s transfer went through once. A copy sent at once would have passed that check: only single-use tickets (§8.1) stop it',
  bankNameUncertified: (name: string) =>
    `Alice's browser asked for ${name}, one of the bank's own names, but the certificate the bank holds does not list it, so its server could not answer for that name (unrecognized_name, RFC 6066 §3) — no attacker needed. The bank must ask the CA for a certificate for the name its visitors use`,
  earlyDataHeldTooLong:
    'the client reached the genuine bank over a protected session, but Alice’s first flight arrived later than her ticket’s age said it should (it was held on the way): the bank’s freshness check (RFC 8446 §8.3) skipped her 0-RTT early data unread, and her browser sent the order again inside the session, once. The attacker never held the session keys, and every message arrived intact',
  /** What Mallory got is said by `got`: she read the PIN (Eavesdropped), or Alice took her plain answers for the bank's (Impersonated). */
  firstVisitStripped: (name: string, got: string) =>
    `Alice had never visited ${name}, so her browser had noted no HSTS header from it, and it was not on her browser’s preload list: its first request was plain http://, and Mallory kept her there (SSL stripping), removing the bank’s Strict-Transport-Security header from the answers she passed on. ${got}. HSTS from a visit cannot protect a first visit (RFC 6797 §14.6); the preload list (§12.3) would have sent the browser straight to https://`,
  firstVisitReadPin: (pin: string) => `She read the PIN ${pin}`,
  /** The returning-visit event, stripped: the entry her browser noted on her last visit had run out (its max-age). */
  returningVisitStripped: (name: string, got: string, visit: { daysAgo: number; header: string; expiredDaysAgo: number }) =>
    `Alice had visited ${name} ${visit.daysAgo} days ago, and her browser noted the bank’s header then — Strict-Transport-Security: ${visit.header} — but its max-age ran out ${visit.expiredDaysAgo} days ago (RFC 6797 §6.1.1), so no HSTS entry was left: her first request was plain http://, as on a first visit, and Mallory kept her there (SSL stripping), removing the header from the answers she passed on. ${got}. A max-age of a year would still have held and sent her browser straight to https://`,
  /** The subdomain event, stripped: her browser's entry for bank.example held, but without includeSubDomains it did not cover the login page. */
  subdomainStripped: (name: string, parent: string, got: string, visit: { daysAgo: number; header: string }) =>
    `Alice had visited ${parent} ${visit.daysAgo} days ago, and her browser noted the bank’s header then — Strict-Transport-Security: ${visit.header} — which still held, but without includeSubDomains it covers ${parent} alone (RFC 6797 §6.1.2, §8.2): Mallory’s message sent her to http://${name}/, her browser asked for it in plain http://, and Mallory kept her there (SSL stripping). ${got}. With includeSubDomains the same entry would have sent her browser straight to https://${name}/`,
  firstVisitTookHerAnswers: 'Alice took Mallory’s plain answers for the bank’s, no padlock asked for',
  /** The CT event: Mallory's certificate from the CA passed Alice's checks; whether it was logged and the bank's monitor saw it. */
  misIssued: (subject: string, how: 'spotted' | 'unwatched' | 'unlogged') =>
    `the CA signed a ${subject} certificate for Mallory's key without proving she controls the name — the CA's mistake — and Alice's browser accepted it: the CA's signature, the name and the dates were right${how === 'unlogged' ? ', and her old browser did not ask for an SCT' : ''}. ${
      how === 'spotted'
        ? `The certificate went into the public CT log, and the bank's log monitor spotted a ${subject} certificate it never asked for: Certificate Transparency did not stop this first attack, it made the mis-issuance visible — the bank would now ask the CA to revoke it`
        : how === 'unwatched'
          ? `The certificate is in the public CT log for anyone to see, but this bank never looks at the log: nobody noticed`
          : 'The CA kept it out of the CT log, so nobody watching the log could see it — a browser that requires CT would have refused it for want of an SCT'
    }`,
  bankUnlogged:
    "the CA signed the bank's own certificate but kept it out of the Certificate Transparency log, so it carries no SCT, and Alice's up-to-date browser, which requires one, refused it — no attacker needed, and no false alarm. Her browser was right to stop; the bank needs a certificate its CA has logged",
  /** The leaked-key event: Mallory's gateway showed the bank's certificate, with the key that leaked. */
  leakedKeySoftFail: (serial: string) =>
    `Mallory showed Alice the bank’s own certificate (serial ${serial}) and proved she holds its key — the key that leaked. The CA had revoked it, so her gateway stapled no OCSP answer; Alice’s browser asked the CA itself, Mallory’s Wi-Fi dropped the question, and the browser went on without an answer: soft-fail. A hard-fail browser (or a must-staple certificate) would have refused`,
  leakedKeyNotRevoked: (serial: string, why: string) =>
    `Mallory showed Alice the bank’s own certificate (serial ${serial}) and proved she holds its key — the key that leaked. ${why}, so the CA’s OCSP answer still said “good”: her gateway stapled it, and every check passed, revocation included`,
  leakedKeyCaRefused: 'The CA refused the bank’s request to revoke it',
  leakedKeyNotAnswered: 'Nobody had answered the bank’s request to revoke it',
  leakedKeyCaught: (serial: string, detail: string) =>
    `Mallory showed Alice the bank’s own certificate (serial ${serial}), whose key leaked to her. The CA had revoked it, and Alice’s browser checked: ${detail}. She went back. The stolen key and its certificate were worth nothing to Mallory`,
  /** A bank with short-lived certificates: the stolen one had run out, and Alice's browser refused it on its dates. */
  leakedKeyExpired: (serial: string, hours: number, daysAgo: number, detail: string) =>
    `Mallory showed Alice the bank’s own certificate (serial ${serial}), whose key leaked to her — but the bank orders short-lived certificates, and this ${hours}-hour one had run out ${daysAgo} days before: Alice’s browser refused it on its dates (${detail}) and she went back. No OCSP answer was needed, and there was none for Mallory to block: every browser checks the dates itself`,
  /** The same, but Alice clicked through the browser's "expired" warning. */
  leakedKeyExpiredClickedThrough: (serial: string, hours: number, daysAgo: number) =>
    `Mallory showed Alice the bank’s own certificate (serial ${serial}) and proved she holds its key — the key that leaked. The bank orders short-lived certificates, and this ${hours}-hour one had run out ${daysAgo} days before: Alice’s browser warned that it had expired, no OCSP answer needed — and she clicked through the warning. The short-lived certificate did its part; a browser with HSTS for the bank offers no way through`,
  /** The debrief's short-lived note where the bank had them: what they changed, on the round's own dates. */
  leakedKeyShortLivedPlayed: (hours: number, until: string, daysAgo: number) =>
    `Short-lived certificates: the bank orders ${hours}-hour ones (Let’s Encrypt’s “shortlived” profile), with a new key each time, so the certificate for the leaked key was valid only until ${until}, ${daysAgo} days before this round. Every browser checks a certificate’s dates itself, hard-fail or soft-fail, whatever the CA answers: a stolen key’s certificate runs out within 7 days of its issue (the CA/Browser Forum’s limit for a certificate that needs no revocation). Only a click through the “expired” warning lets it through, and HSTS takes that click away`,
  /** The debrief's short-lived comparison, on the round's own dates. */
  leakedKeyShortLived: (lifetimeDays: number, until: string, daysLeft: number) =>
    `Short-lived certificates: the certificate for the leaked key is a ${lifetimeDays}-day one, valid until ${until} — ${daysLeft} more days for whoever holds the key, against any browser that does not hear of its revocation. Had the bank used 6-day certificates (Let’s Encrypt offers them), a stolen key’s certificate would run out within 6 days of its issue and fail every browser’s date check: no OCSP answer to block, no CA to ask`,
  clickedThroughExpired:
    'the transfer went through, but only after Alice clicked through the expired certificate: nothing proved the other end was the bank. This time only the bank’s forgetfulness was behind the warning — the same click would let a forged certificate through',
} as const;

/**
 * The harvest event's debrief (referee/harvest.ts): the years-later reveal on this round's
 * recording, and the two key shares side by side.
 */
export const HARVEST_WORDS = {
  years: 'Years later, a quantum computer breaks X25519…',
  fiction:
    'This part is a story: no quantum computer today can break X25519, and the game breaks nothing. It computes the X25519 shared secret such a machine would find from the two public key shares, and hands it to Mallory. What her recording does with it is real.',
  opened: {
    headline: 'Her recording opens: she reads the PIN.',
    text: (n: number) => `This session’s keys came from the X25519 secret alone. With it the key schedule runs again over her recording: ${n} record(s) decrypted, Alice’s request with her PIN among them.`,
  },
  openedEmpty: {
    headline: 'Her recording opens, but holds no order.',
    text: (n: number) => `This session’s keys came from the X25519 secret alone: ${n} record(s) decrypted, but none carries the PIN or the order.`,
  },
  sealed: {
    headline: 'Her recording stays sealed: ML-KEM holds.',
    text: () =>
      'This session’s keys came from X25519MLKEM768: the key schedule took ML-KEM-768’s secret first and X25519’s after it. The X25519 half alone does not open even the first encrypted record, and ML-KEM is built so that quantum computers do not break it.',
  },
  rows: [
    {
      keyShare: 'X25519 alone (0x001D)',
      browser: 'an old browser',
      hybrid: false,
      opens: true,
      why: 'the X25519 secret is the whole key-exchange secret',
    },
    {
      keyShare: 'X25519MLKEM768 (0x11EC): ML-KEM-768 + X25519',
      browser: 'Chrome, Edge, Firefox and Safari today',
      hybrid: true,
      opens: false,
      why: 'the keys need ML-KEM’s secret too, and the quantum computer does not give it',
    },
  ],
  /** The quantum event's rows in the "server key leaked" comparison. */
  leakRows: [
    { quantum: 'Level 5, years later: a quantum computer', how: 'TLS 1.3 with X25519 alone: a quantum computer breaks X25519 itself, long after the handshake (no key leaks — forward secrecy does not help)', opens: true, hybrid: false },
    { quantum: 'Level 5, X25519MLKEM768, years later', how: 'TLS 1.3 with the hybrid X25519MLKEM768 key share: the same quantum computer recovers only the X25519 half', opens: false, hybrid: true },
  ],
} as const;
