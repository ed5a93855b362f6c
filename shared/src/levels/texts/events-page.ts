/**
 * What each event (basics/events.ts) shows in the browser: its name, one line on what it teaches,
 * and a briefing of at most 80 words with each role's first move (the depth under "More").
 * What only the server says (debrief notes, verdict words) is added in events.ts. No cryptography
 * imported: the browser loads it with the level texts.
 */
import type { LevelEvent } from '../../basics/events.ts';
import type { Role } from '../../basics/roles.ts';

export interface EventPageTexts {
  /** What the host's select and the round's header call it. */
  title: string;
  /** One line on what it teaches (the host's select). */
  teaches: string;
  /** At most 80 words in `summary` + `firstSteps` together, as a level's briefing. */
  briefing: { summary: string; firstSteps: Record<Role, string>; more: string[] };
  /**
   * The event changes what the level's own texts say (level 2's key never crosses the Wi-Fi): its
   * debrief note replaces the level's, and the level's briefing is shown folded, as the level
   * without the event.
   */
  changesLevel?: boolean;
  /** Where the event changes what the level is about: the round's header says this instead of the level's concept. */
  concept?: string;
}

export const EVENT_PAGE_TEXTS: Readonly<Record<LevelEvent, EventPageTexts>> = {
  lookalikeDomain: {
    title: 'A look-alike name',
    teaches: 'every check passes for the wrong name: read the name you asked for',
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
  },
  expiredCertificate: {
    title: 'An expired certificate',
    teaches: 'dates are a check too; the bank’s mistake, not an attack',
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
  },
  rogueRoot: {
    title: 'A rogue root',
    teaches: 'every check ends at the trust store, and a root you install is in it',
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
  },
  encryptionWithoutIntegrity: {
    title: 'Encryption without integrity',
    teaches: 'encryption hides a message; only a tag stops it being changed',
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
    changesLevel: true,
    concept: 'Symmetric encryption without integrity (AES-256-CTR, no tag)',
  },
  harvestNowDecryptLater: {
    title: 'Harvest now, decrypt later',
    teaches: 'recordings open when X25519 falls; ML-KEM holds',
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
  },
  versionDowngrade: {
    title: 'A downgrade to TLS 1.2',
    teaches: 'an attacker can strip TLS 1.3 from the offer; a signal in the bank’s random gives her away',
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
  },

  earlyDataReplay: {
    title: 'Early data, replayed',
    teaches: '0-RTT data can be sent twice: single-use tickets stop it',
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
  },
  hstsFirstVisit: {
    title: 'A first visit (HSTS)',
    teaches: 'HSTS protects only a name the browser already knows: the first visit needs the preload list',
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
  },
  hstsReturningVisit: {
    title: 'A returning visit (HSTS max-age)',
    teaches: 'what HSTS remembers lasts max-age seconds: come back later, and it is a first visit again',
    briefing: {
      summary:
        'Alice was at bank.example 40 days ago; her browser noted the bank’s header: “HTTPS only, for max-age seconds”. A year? It still holds: no plain http:// request, no clicking through a certificate warning. Thirty days? It ran out ten days ago: her browser asks http:// first.',
      firstSteps: {
        client: 'Read what your browser remembers, then connect.',
        server: 'Your operator chose your header (a room setting), not you: its max-age decides whether Alice is still covered.',
        ca: 'Sign as usual.',
        attacker: 'Strip HTTPS: catch the plain request.',
      },
      more: [
        'max-age (RFC 6797 §6.1.1) “specifies the number of seconds, after the reception of the STS header field, during which the UA regards the host … as a Known HSTS Host.” Every HTTPS answer carries the header again, and each one starts the count anew (§8.1.1), so a regular visitor stays protected; one who comes back after max-age is on a first visit again. A standard bank sends a year (31,536,000 seconds); a careless one a month (2,592,000) — a common default.',
        'While the entry holds, the browser goes straight to https:// (§8.3), and a certificate error ends the connection with “no user recourse” (§8.4, §12.1): no “proceed anyway” button, so even an Alice who clicks through every warning can only go back.',
        'includeSubDomains (§6.1.2) “signals the UA that the HSTS Policy applies to this HSTS Host as well as any subdomains of the host’s domain name”: login.bank.example too. Without it, a link to http://login.bank.example is as open to stripping as a first visit. Both banks’ headers here carry it: what differs is max-age.',
      ],
    },
  },
  hstsSubdomain: {
    title: 'HSTS and subdomains (includeSubDomains)',
    teaches: 'HSTS for bank.example covers login.bank.example only if the header said includeSubDomains',
    briefing: {
      summary:
        'Alice was at bank.example 10 days ago, and her browser noted the bank’s header: “HTTPS only, for a year”. Today Mallory’s message sends her to http://login.bank.example/. Did the header say includeSubDomains? Then the login page is covered: straight to https://. If not, her browser asks http:// first.',
      firstSteps: {
        client: 'Read what your browser remembers, then connect.',
        server: 'Your operator chose your header (a room setting), not you: without includeSubDomains, login.bank.example is not covered.',
        ca: 'Sign as usual.',
        attacker: 'Strip HTTPS: catch the plain request.',
      },
      more: [
        'includeSubDomains (RFC 6797 §6.1.2) “signals the UA that the HSTS Policy applies to this HSTS Host as well as any subdomains of the host’s domain name.” A standard bank sends max-age=31536000; includeSubDomains. A careless one sends max-age=31536000 alone: a year for bank.example, nothing for the names under it.',
        'A covered name is rewritten to https:// before anything leaves the browser, and a certificate error there has no “proceed anyway” (§8.4, §12.1). The bank’s certificate names bank.example and login.bank.example (subjectAltName), so the login page passes the name check.',
        'A site has many names (login., www., api.), and a link to any one not covered is a plain first request Mallory can catch. The preload list (hstspreload.org) takes a site only if its header has includeSubDomains.',
      ],
    },
  },
  certificateTransparency: {
    title: 'Certificate Transparency',
    teaches: 'every certificate goes into a public log: a mis-issued one is seen — after its first use',
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
  },
  leakedKeyRevocation: {
    title: 'A leaked key, revoked',
    teaches: 'a stolen key keeps its valid certificate until the CA revokes it — and only a browser that insists on the CA’s answer notices',
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
  },
};
