/**
 * What each event (basics/events.ts) says to players and teachers: its name, a briefing line of
 * at most 80 words with each role's first move (the depth under "More"), the debrief's note, and
 * the referee's words where the event decides the verdict. No cryptography imported: the
 * browser loads it with the level texts.
 */
import type { LevelEvent } from '../../basics/events.ts';
import type { Role } from '../../basics/roles.ts';
import { TLS12_RECORD_FRAGMENT, TLS13_RECORD_FRAGMENT } from './records.ts';

export interface EventTexts {
  /** What the host's select and the round's header call it. */
  title: string;
  /** One line on what it teaches (the host's select). */
  teaches: string;
  /** What it needs of a level, as the refusal at another level says it ("needs certificates"). */
  needs: string;
  /** At most 80 words in `summary` + `firstSteps` together, as a level's briefing. */
  briefing: { summary: string; firstSteps: Record<Role, string>; more: string[] };
  /** Said in the debrief of every round with the event. */
  debriefNote: string;
  /**
   * The event changes what the level's own texts say (level 2's key never crosses the Wi-Fi): its
   * debrief note replaces the level's, and the level's briefing is shown folded, as the level
   * without the event.
   */
  changesLevel?: boolean;
  /** What an unattacked round lacked, where the event changes it ("Unharmed, not secure: the transfer went through unharmed, but …"). */
  unprotected?: string;
  /** Where the event changes what the level is about: the round's header says this instead of the level's concept. */
  concept?: string;
  /** Where the event changes the level's records: what the inspector says their bytes are (LevelTexts.wire, LevelTexts.recordFragment). */
  wire?: string;
  recordFragment?: string;
}

export const EVENT_TEXTS: Readonly<Record<LevelEvent, EventTexts>> = {
  lookalikeDomain: {
    title: 'A look-alike name',
    teaches: 'every check passes for the wrong name: read the name you asked for',
    needs: 'needs certificates',
    briefing: {
      summary: 'Mallory registered bank-examp1e.example (a 1 for the l), got an honest certificate for it, and sent Alice a link. Alice’s browser checks the certificate against the name she asked for — and she asked for the wrong one.',
      firstSteps: {
        client: 'Look at the name in your address bar before you send your PIN.',
        server: 'Get bank.example certified as usual.',
        ca: 'Sign for whoever controls the name.',
        attacker: 'Your site relays to the bank: read the PIN it hands you.',
      },
      more: [
        'Every check passes: the certificate is signed by a CA Alice trusts, it is in date, and it is for bank-examp1e.example — exactly the name her browser asked for. TLS did its job: nobody else can read or change what Alice sends to that site. It just is not the bank.',
        'Mallory really controls bank-examp1e.example, so any CA signs it: the http-01 challenge proves control of a name, not honesty. Her site relays Alice’s requests to the real bank, as phishing kits do, so the page looks right and the transfer even happens — with her reading along.',
        'HSTS does not help either: Alice’s browser has it for bank.example, and this is another name. What helps: typing the address or using a bookmark, a password manager that fills in only on the real name, and phishing-resistant logins (passkeys), which are bound to the real name.',
      ],
    },
    debriefNote:
      'A look-alike name: the certificate was valid, for exactly the name Alice’s browser asked for. HTTPS proves that you reach the name you asked for, not that you asked for the right one — a bookmark, a typed address or a password manager that fills in only on bank.example would have kept her PIN at the bank.',
  },
  expiredCertificate: {
    title: 'An expired certificate',
    teaches: 'dates are a check too; the bank’s mistake, not an attack',
    needs: 'needs certificates',
    briefing: {
      summary: 'The bank’s certificate ran out three days ago: nobody renewed it. Alice’s browser compares its “valid until” date with today and warns her. No attacker is needed for this warning — but she cannot tell that from the warning.',
      firstSteps: {
        client: 'Connect, read the warning, and decide.',
        server: 'Look at your certificate’s dates: renew it before Alice connects.',
        ca: 'Sign a renewal for whoever controls the name.',
        attacker: 'Watch what Alice does with the warning.',
      },
      more: [
        'Certificates expire on purpose: a stolen key, or a name that changed hands, stops being trusted by itself after a while. Today’s certificates live 90 days or less, and software such as certbot renews them by itself a month early. A bank that forgets makes every visitor’s browser warn.',
        'The referee calls an expired certificate an operator error (“Wrong certificate”): the bank’s fault, not an attack, and not a false alarm — Alice was right to stop. The bank can still renew while the round prepares: ask the CA again, and the new certificate replaces the old.',
        'A careless Alice who clicks through still gets her transfer done. That teaches the wrong lesson: the warning looks the same when Mallory shows a forged certificate, and a user used to clicking through an expired certificate clicks through that one too.',
      ],
    },
    debriefNote:
      'An expired certificate: the bank forgot to renew. Alice’s browser was right to warn; the referee calls it the bank’s error, not an attack. Clicking through worked this time only because nobody attacked — the same click lets a forged certificate through.',
  },
  rogueRoot: {
    title: 'A rogue root',
    teaches: 'every check ends at the trust store, and a root you install is in it',
    needs: 'needs certificates',
    briefing: {
      summary: 'Mallory runs the café Wi-Fi. Its login page asks Alice to “install the café certificate”: really Mallory’s own root CA. Installed, it sits in Alice’s trust store beside the real roots, and the bank.example certificate Mallory signed with it passes every check — padlock and all.',
      firstSteps: {
        client: 'Decide: install the café certificate, or refuse it.',
        server: 'Get bank.example certified as usual.',
        ca: 'Sign for whoever controls the name.',
        attacker: 'Your gateway shows Alice your own bank.example certificate: read what she sends.',
      },
      more: [
        'A browser trusts a certificate when its chain leads to a root in its trust store, and it never asks who put that root there. Mallory’s root is a real CA certificate (cA TRUE, keyCertSign) she made herself in a minute; the bank.example certificate under it has the right name, dates and key. Once it is installed, no check in the browser can tell it from the bank’s — and the CA did nothing wrong: it never signed it.',
        'The same thing, done on purpose: companies install their own root on every work laptop so that their firewall can read each HTTPS connection (“TLS inspection”), and some antivirus programs do it too. In 2015 Lenovo laptops came with Superfish, adware whose root had the same private key on every machine: anyone could pose as any site to their owners. A real café never needs a root: joining Wi-Fi takes a web page, not a certificate.',
        'The store matters even when you install nothing: in 2011 an intruder at DigiNotar, a CA in every browser’s store, issued certificates for google.com that were used to read Iranian users’ Gmail. Browsers removed DigiNotar from their stores within weeks and it went bankrupt. Certificate Transparency, which logs every certificate a CA issues in public, grew out of that.',
      ],
    },
    debriefNote:
      'A rogue root: every check a browser makes ends at its trust store. A root Alice installs — from a café’s page, or with a work laptop’s set-up — makes its owner’s certificates pass every check for every site, padlock and all, until she removes it. Refused, the same certificate fails (unknown_ca). A café never needs you to install a root; and DigiNotar (2011) showed that a root in the store is only as honest as the CA behind it.',
  },
  encryptionWithoutIntegrity: {
    title: 'Encryption without integrity',
    teaches: 'encryption hides a message; only a tag stops it being changed',
    needs: 'changes level 2’s one key',
    briefing: {
      summary:
        'This round Alice and the bank agreed their key in advance: it never crosses the Wi-Fi, and Mallory cannot read a record. But the records are AES-CTR, with no tag. Mallory knows how Alice’s order ends: amount=0060.',
      firstSteps: {
        client: 'Send your PIN and transfer, then read what the bank says it did.',
        server: 'Receive the order and carry it out.',
        ca: 'Nothing to sign: watch.',
        attacker: 'Hold Alice’s record and flip bits in it: make 0060 say 0960.',
      },
      more: [
        'How the flip works: CTR encrypts by XOR with a keystream that only the key can make (ciphertext = plaintext XOR keystream). XOR the ciphertext with a mask, and the bank decrypts the plaintext XOR the same mask. Mallory’s mask is what she knows (0060) XOR what she wants (0960): one byte, 09. She never learns the key, the keystream or the PIN.',
        'She needs to know only the bytes she changes and where they are: the bank’s form ends with the amount in four digits, and Alice pays 60 every month. A flip keeps the length — XOR cannot add a digit, which is why the leading zeros matter. Real attackers find known bytes everywhere: headers, form fields, JSON keys.',
        'The fix is a tag. AES-GCM is this same CTR plus a 16-byte tag the key computes over the ciphertext: play level 2 without this event, flip the same bits, and the bank refuses the record because the tag no longer matches. TLS 1.3 allows only such ciphers (AES-GCM, ChaCha20-Poly1305); older TLS put a MAC beside the encryption.',
      ],
    },
    debriefNote:
      'Encryption without integrity: AES-CTR kept the PIN secret — nobody without the key read it — but nothing checked the bytes, so flipped bits arrive as a different order. Encryption hides; it does not protect from change. A tag does: AES-GCM is the same CTR plus a tag, and the same flip fails it.',
    changesLevel: true,
    concept: 'Symmetric encryption without integrity (AES-256-CTR, no tag)',
    wire: 'Not TLS: the game’s own construction. The record borrows TLS’s 5-byte header, then carries an 8-byte sequence number and AES-256-CTR ciphertext — no tag. The key never crossed the Wi-Fi: Alice and the bank agreed it in advance.',
    recordFragment:
      "The game's own record: the first 8 bytes are the sequence number, sent in the clear, and the receiver checks it (a replay shows as out of sequence). Then the AES-256-CTR ciphertext, exactly as long as the plaintext — and nothing after it: no tag, so nobody can tell a changed byte.",
    unprotected: 'nothing protected the order from change: the records were encrypted (AES-CTR, under a key agreed in advance) but carried no tag, so flipped bits would have gone unnoticed',
  },
  harvestNowDecryptLater: {
    title: 'Harvest now, decrypt later',
    teaches: 'recordings open when X25519 falls; ML-KEM holds',
    needs: 'needs TLS 1.3’s key shares',
    briefing: {
      summary:
        'Mallory records this round and keeps it. In the debrief it is years later: a quantum computer breaks X25519 (a story the game tells; it hands her the secret). An old browser’s keys came from X25519 alone. An up-to-date browser adds ML-KEM, built to resist quantum computers.',
      firstSteps: {
        client: 'Pay as usual: your browser’s key share decides the ending.',
        server: 'Answer as usual: the bank speaks X25519MLKEM768 first.',
        ca: 'Sign for whoever controls the name.',
        attacker: 'Just listen, and keep the recording.',
      },
      more: [
        'A careful Alice’s up-to-date browser offers X25519MLKEM768 (0x11EC): an ML-KEM-768 key (1184 bytes), then an X25519 key (32); the bank answers with an ML-KEM ciphertext (1088) and its X25519 key. The keys need both secrets. A careless Alice’s old browser offers X25519 alone. Why switch now? Some secrets must last for years, and so do recordings.',
      ],
    },
    debriefNote:
      'Harvest now, decrypt later: forward secrecy protects a recording from a leaked server key, not from a quantum computer that breaks X25519 itself. Today’s browsers add ML-KEM (X25519MLKEM768), built to resist one: that recording stays shut.',
  },  versionDowngrade: {
    title: 'A downgrade to TLS 1.2',
    teaches: 'an attacker can strip TLS 1.3 from the offer; a signal in the bank’s random gives her away',
    needs: 'needs a bank that speaks TLS 1.3',
    briefing: {
      summary:
        'The bank and Alice’s browser both speak TLS 1.3 and the older TLS 1.2. Mallory crosses 1.3 off Alice’s offer on the way. The bank answers in 1.2 — and hides a signal in its random: “I could have done 1.3”. An up-to-date browser spots it and stops.',
      firstSteps: {
        client: 'Connect: your browser decides what it checks.',
        server: 'Answer as usual: your server picks the best version offered.',
        ca: 'Sign for whoever controls the name.',
        attacker: 'Hold Alice’s ClientHello and offer only TLS 1.2.',
      },
      more: [
        'The signal is the last 8 bytes of the bank’s ServerHello random: 44 4F 57 4E 47 52 44 01, “DOWNGRD” and 01 (RFC 8446 §4.1.3). A bank that speaks TLS 1.3 writes it whenever it answers in 1.2. A browser that speaks 1.3 checks it and aborts (illegal_parameter). The random is signed in the bank’s ServerKeyExchange, so Mallory cannot rub the signal out.',
        'A careless Alice’s old browser does not look. Here that does not lose her the round: TLS 1.2’s Finished covers every handshake message, and the bank saw the edited ClientHello, Alice the original, so Alice’s Finished fails at the bank. The downgrade pays off only when Mallory can also break TLS 1.2’s key exchange while it runs — as with the export-grade keys of FREAK and Logjam (2015). Then she fixes up both Finished messages, and only the signal still stands.',
      ],
    },
    debriefNote:
      'A downgrade: Mallory took TLS 1.3 out of Alice’s offer. The bank, speaking 1.3, marked its 1.2 answer with the sentinel DOWNGRD in its random: an up-to-date browser stops right there. An old one carries on, and TLS 1.2’s Finished still catches the edited hello — unless Mallory can break the 1.2 key exchange as it runs (FREAK, Logjam), when only the sentinel saves Alice.',
    wire: 'TLS itself, as the RFCs write it — TLS 1.3 (RFC 8446, TLS_AES_128_GCM_SHA256), or TLS 1.2 (RFC 5246 with RFC 8422’s ECDHE, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) when the bank answers in 1.2: OpenSSL reads it and Wireshark shows it — record → handshake → extensions. In TLS 1.3 every record after the ServerHello is encrypted and says application_data; in TLS 1.2, every record after ChangeCipherSpec.',
    recordFragment: `In TLS 1.3: ${TLS13_RECORD_FRAGMENT} In TLS 1.2: ${TLS12_RECORD_FRAGMENT}`,
  },

  earlyDataReplay: {
    title: 'Early data, replayed',
    teaches: '0-RTT data can be sent twice: single-use tickets stop it',
    needs: 'needs TLS 1.3’s session tickets',
    briefing: {
      summary:
        'Alice was here yesterday, and her browser kept the bank’s ticket. Today it skips a round trip: “pay 60 to Carol” goes with her very first message (0-RTT early data). Mallory cannot read it, but she can send the same bytes again. A careful bank takes each ticket once; a careless one pays twice.',
      firstSteps: {
        client: 'Connect: your order goes at once.',
        server: 'Answer as usual.',
        ca: 'Sign as usual.',
        attacker: 'Replay Alice’s first flight.',
      },
      more: [
        'The ticket carries a secret (a pre-shared key) from yesterday’s session, sealed by the bank. The early data is encrypted with keys made from that secret and the ClientHello alone — nothing fresh from the bank — so a copy of the ClientHello makes the same keys (RFC 8446 §8). The defences: tickets used once, or a record of ClientHellos seen (§8.1, §8.2), or early data only for safe requests such as GET (RFC 8470’s 425 Too Early). Browsers send only GET as early data.',
        'The rest of the session stays safe: the ticket comes with a fresh X25519 exchange (psk_dhe_ke), so the keys after the handshake are Alice’s alone, and Mallory’s copy can never finish its handshake. Only what came before it — the early data — replays.',
        'The hello also says how old the ticket is: obfuscated_ticket_age, “the age in milliseconds” plus the ticket’s ticket_age_add, “modulo 2^32” (RFC 8446 §4.2.11.1) — the binder covers it, so Mallory cannot change it. Every bank here checks it: expected_arrival_time = adjusted_creation_time + clients_ticket_age (§8.3), and a hello more than 10 seconds off gets no 0-RTT. That makes a copy sent later useless — but a copy sent at once is just as fresh as Alice’s.',
      ],
    },
    debriefNote:
      'Early data (0-RTT) saves a round trip but is not protected against replay: its keys come from the ticket and the ClientHello alone. The ticket’s age in the hello lets a bank refuse an old copy (a freshness window, RFC 8446 §8.3: “on the order of ten seconds”) — that narrows replay to seconds, it does not stop a copy sent at once. Only taking each ticket once, or remembering the ClientHellos seen (§8.1, §8.2), does; or accepting only safe requests as early data — never a payment.',
  },
  hstsFirstVisit: {
    title: 'A first visit (HSTS)',
    teaches: 'HSTS protects only a name the browser already knows: the first visit needs the preload list',
    needs: 'needs HTTPS with a plain http:// first step',
    briefing: {
      summary:
        'Alice has never visited bank.example. HSTS — “this site is HTTPS-only” — is a header the bank sends over HTTPS, so her browser has nothing to remember yet, and a new browser’s first request is plain http://. Unless the bank is on the list built into her browser: the preload list.',
      firstSteps: {
        client: 'Connect, then check for https:// and the padlock.',
        server: 'Answer as usual: your header says HTTPS-only.',
        ca: 'Sign as usual.',
        attacker: 'Strip HTTPS: catch the plain request.',
      },
      more: [
        'The bank’s HTTPS answers carry Strict-Transport-Security: max-age=31536000; includeSubDomains; preload (RFC 6797 §6.1). max-age: keep it for a year (31,536,000 seconds), then forget it (§6.1.1) — a browser that comes back after that asks http:// first again. includeSubDomains: login.bank.example and every other name under it too (§6.1.2). preload: a request to browser makers, not part of the RFC, to build the name into their browsers (hstspreload.org).',
        'The gap is the first request (RFC 6797 §14.6): before any header arrives, the browser cannot know. Mallory keeps Alice on http:// and removes the header from what she passes on; it would not count anyway — a browser keeps it only from an HTTPS answer without errors (§8.1). The preload list closes the gap for the names on it (§12.3); an old or embedded browser without an up-to-date list stays open.',
      ],
    },
    debriefNote:
      'A first visit: HSTS is learned from the bank’s own HTTPS answer, so a browser that has never been there asks http:// first — the one request Mallory needs (RFC 6797 §14.6). Only a preload list built into the browser (§12.3) protects a first visit. After one good HTTPS visit the header is noted for max-age seconds, for every subdomain too with includeSubDomains.',
  },
  hstsReturningVisit: {
    title: 'A returning visit (HSTS max-age)',
    teaches: 'what HSTS remembers lasts max-age seconds: come back later, and it is a first visit again',
    needs: 'needs HTTPS with a plain http:// first step',
    briefing: {
      summary:
        'Alice was at bank.example 40 days ago. The bank’s header said “HTTPS only, for max-age seconds”, and her browser wrote it down. A year? It still holds: no plain http:// request, no clicking through a certificate warning. Thirty days? It ran out ten days ago: her browser asks http:// first, as on a first visit.',
      firstSteps: {
        client: 'Read what your browser remembers, then connect.',
        server: 'Answer as usual: your header sets how long.',
        ca: 'Sign as usual.',
        attacker: 'Strip HTTPS: catch the plain request.',
      },
      more: [
        'max-age (RFC 6797 §6.1.1) “specifies the number of seconds, after the reception of the STS header field, during which the UA regards the host … as a Known HSTS Host.” Every HTTPS answer carries the header again, and each one starts the count anew (§8.1.1), so a regular visitor stays protected; one who comes back after max-age is on a first visit again. A standard bank sends a year (31,536,000 seconds); a careless one a month (2,592,000) — a common default.',
        'While the entry holds, the browser goes straight to https:// (§8.3), and a certificate error ends the connection with “no user recourse” (§8.4, §12.1): no “proceed anyway” button, so even an Alice who clicks through every warning can only go back.',
        'includeSubDomains (§6.1.2) “signals the UA that the HSTS Policy applies to this HSTS Host as well as any subdomains of the host’s domain name”: login.bank.example too. Without it, a link to http://login.bank.example is as open to stripping as a first visit. Both banks’ headers here carry it: what differs is max-age.',
      ],
    },
    debriefNote:
      'A returning visit: HSTS lasts max-age seconds from the last header the browser received over HTTPS (RFC 6797 §6.1.1, §8.1.1). A year’s entry sent Alice’s browser straight to https:// and left no click-through on a certificate error (§12.1); a month’s had run out, so her browser asked http:// first, as on a first visit — the one request Mallory needs. A bank should send a long max-age (a year, as preload lists ask) with includeSubDomains.',
  },
  certificateTransparency: {
    title: 'Certificate Transparency',
    teaches: 'every certificate goes into a public log: a mis-issued one is seen — after its first use',
    needs: 'is played at TLS 1.3 in this game (browsers require SCTs at every version)',
    briefing: {
      summary:
        'Every certificate the CA signs now goes into a public log, and carries the log’s signed receipt (an SCT). Up-to-date browsers refuse a certificate without one. The bank watches the log for its name. A careless CA can still sign bank.example for Mallory — but everyone can see it.',
      firstSteps: {
        client: 'Check the certificate: is it logged?',
        server: 'Get certified; watch the log.',
        ca: 'Check who controls the name; log what you sign.',
        attacker: 'Ask the CA for bank.example.',
      },
      more: [
        'Certificate Transparency (RFC 6962): before it signs, the CA hands the certificate to a public log. The log adds it to a Merkle tree — a hash of hashes, so nothing can be removed or changed later without everyone noticing — and answers with a signed certificate timestamp (SCT), its promise to publish it. The SCT goes into the certificate; Chrome and Safari refuse a certificate without valid SCTs.',
        'CT does not stop the first attack: a mis-issued certificate with its SCT passes every check, and Mallory uses it at once. What changes is that it cannot stay secret. The bank’s monitor reads the log, sees a bank.example certificate it never asked for, and asks the CA to revoke it; the CA’s mistake is on record for everyone. A certificate the CA kept out of the log has no SCT, so an up-to-date browser refuses it.',
      ],
    },
    debriefNote:
      'Certificate Transparency makes mis-issuance visible, not impossible: a certificate logged with its SCT passes Alice’s checks the first time, but the bank’s log monitor sees every certificate for its name. One it never asked for is proof of a CA’s mistake — the bank would now ask the CA to revoke it. A certificate kept out of the log carries no SCT, and a browser that requires CT refuses it.',
  },
  leakedKeyRevocation: {
    title: 'A leaked key, revoked',
    teaches: 'a stolen key keeps its valid certificate until the CA revokes it — and only a browser that insists on the CA’s answer notices',
    needs: 'needs certificates',
    briefing: {
      summary: 'The bank’s private key leaked. Mallory has it, and the bank’s certificate for it: a 90-day one has 70 days left; a short-lived one (if the bank orders those) has run out. The bank asked the CA to revoke it. Will Alice’s browser notice?',
      firstSteps: {
        client: 'Connect and watch the revocation check.',
        server: 'Answer on your new key; staple the CA’s answer.',
        ca: 'The bank asks you to revoke: check, then decide.',
        attacker: 'Show Alice the bank’s own certificate.',
      },
      more: [
        'A certificate says “this key is bank.example’s” until its end date. When the key leaks, only the CA can take that back: it revokes the certificate, and its OCSP responder answers “revoked” to anyone who asks (RFC 6960). The bank proves the request is its own: it comes from the account that ordered the certificate, signed with the certificate’s key (RFC 8555 §7.6). Without such proof the CA must refuse — or anyone could switch off the bank’s certificate. But a CA that refuses the real bank leaves the stolen key working.',
        'Asking the CA during every visit is slow and tells the CA where you browse, so the bank fetches the answer and staples it into its handshake (status_request: in TLS 1.2 a CertificateStatus message after its certificate, in TLS 1.3 inside the certificate’s entry). Mallory cannot staple a good answer once the certificate is revoked — so she staples none.',
        'Then the browser decides. Soft-fail (the browsers’ default): no answer, so it asks the CA itself; Mallory runs the Wi-Fi and drops that question; hearing nothing, it goes on. Browsers soft-fail because a CA that is down would otherwise take half the web down with it — and an attacker who can block the check wins anyway. Hard-fail (a must-staple certificate, RFC 7633, or a browser set to require OCSP): no good answer, no connection.',
        'Short-lived certificates change the sum: a certificate valid for 6 days (Let’s Encrypt’s “shortlived” profile: 160 hours) needs no revocation — browsers do not even ask about one (Firefox skips one of under 10 days), and a stolen key’s certificate runs out within days: every browser checks the dates itself, soft-fail or not. Set the bank to order short-lived certificates and play it. That is where the web is heading: Let’s Encrypt ended its OCSP service in 2025, and Chrome never checks OCSP at all.',
      ],
    },
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
  earlyDataHeldTooLong:
    'the client reached the genuine bank over a protected session, but Alice’s first flight arrived later than her ticket’s age said it should (it was held on the way): the bank’s freshness check (RFC 8446 §8.3) skipped her 0-RTT early data unread, and her browser sent the order again inside the session, once. The attacker never held the session keys, and every message arrived intact',
  /** What Mallory got is said by `got`: she read the PIN (Eavesdropped), or Alice took her plain answers for the bank's (Impersonated). */
  firstVisitStripped: (name: string, got: string) =>
    `Alice had never visited ${name}, so her browser had noted no HSTS header from it, and it was not on her browser’s preload list: its first request was plain http://, and Mallory kept her there (SSL stripping), removing the bank’s Strict-Transport-Security header from the answers she passed on. ${got}. HSTS from a visit cannot protect a first visit (RFC 6797 §14.6); the preload list (§12.3) would have sent the browser straight to https://`,
  firstVisitReadPin: (pin: string) => `She read the PIN ${pin}`,
  /** The returning-visit event, stripped: the entry her browser noted on her last visit had run out (its max-age). */
  returningVisitStripped: (name: string, got: string, visit: { daysAgo: number; header: string; expiredDaysAgo: number }) =>
    `Alice had visited ${name} ${visit.daysAgo} days ago, and her browser noted the bank’s header then — Strict-Transport-Security: ${visit.header} — but its max-age ran out ${visit.expiredDaysAgo} days ago (RFC 6797 §6.1.1), so no HSTS entry was left: her first request was plain http://, as on a first visit, and Mallory kept her there (SSL stripping), removing the header from the answers she passed on. ${got}. A max-age of a year would still have held and sent her browser straight to https://`,
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
    `Mallory showed Alice the bank’s own certificate (serial ${serial}), whose key leaked to her. The CA had revoked it, and Alice’s browser requires a good OCSP answer (hard-fail): ${detail} — she went back. The stolen key and its certificate were worth nothing to Mallory`,
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
