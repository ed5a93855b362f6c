/**
 * What each event (basics/events.ts) says to players and teachers: its name, a briefing line of
 * at most 80 words with each role's first move (the depth under "More"), the debrief's note, and
 * the referee's words where the event decides the verdict. No cryptography imported: the
 * browser loads it with the level texts.
 */
import type { LevelEvent } from '../../basics/events.ts';
import type { Role } from '../../basics/roles.ts';

export interface EventTexts {
  /** What the host's select and the round's header call it. */
  title: string;
  /** One line on what it teaches (the host's select). */
  teaches: string;
  /** At most 80 words in `summary` + `firstSteps` together, as a level's briefing. */
  briefing: { summary: string; firstSteps: Record<Role, string>; more: string[] };
  /** Said in the debrief of every round with the event. */
  debriefNote: string;
}

export const EVENT_TEXTS: Readonly<Record<LevelEvent, EventTexts>> = {
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
    debriefNote:
      'A look-alike name: the certificate was valid, for exactly the name Alice’s browser asked for. HTTPS proves that you reach the name you asked for, not that you asked for the right one — a bookmark, a typed address or a password manager that fills in only on bank.example would have kept her PIN at the bank.',
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
    debriefNote:
      'An expired certificate: the bank forgot to renew. Alice’s browser was right to warn; the referee calls it the bank’s error, not an attack. Clicking through worked this time only because nobody attacked — the same click lets a forged certificate through.',
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
    debriefNote:
      'A rogue root: every check a browser makes ends at its trust store. A root Alice installs — from a café’s page, or with a work laptop’s set-up — makes its owner’s certificates pass every check for every site, padlock and all, until she removes it. Refused, the same certificate fails (unknown_ca). A café never needs you to install a root; and DigiNotar (2011) showed that a root in the store is only as honest as the CA behind it.',
  },
};

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
  clickedThroughExpired:
    'the transfer went through, but only after Alice clicked through the expired certificate: nothing proved the other end was the bank. This time only the bank’s forgetfulness was behind the warning — the same click would let a forged certificate through',
} as const;
