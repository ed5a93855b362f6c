/**
 * The teacher's map in words (basics/teaching-map.ts is its shape): one line per level on what it
 * teaches and the misconception it targets (docs/lesson-plans.md uses the same lines), and what
 * the teacher's report calls each misconception a student's play showed (referee/misconceptions.ts).
 * The events' lines are theirs (EVENT_TEXTS `teaches`). No cryptography imported: the browser
 * loads it.
 */
import type { Level } from '../../basics/levels.ts';
import type { Misconception } from '../../basics/misconceptions.ts';

export interface MapLine {
  /** What a round of the level teaches, in one line the projector can show. */
  teaches: string;
  /** The belief the level is there to break, as a student would say it. */
  misconception: string;
}

export const LEVEL_MAP_LINES: Readonly<Record<Level, MapLine>> = {
  1: { teaches: 'plain HTTP: everyone on the Wi-Fi reads and changes everything', misconception: '“Nobody can see what I type into a website.”' },
  2: { teaches: 'encryption hides a message, but a key sent in the clear opens it for everyone', misconception: '“Encrypted means safe.”' },
  3: { teaches: 'public keys need no shared secret, but nothing says whose key it is', misconception: '“If only the bank can decrypt it, I am talking to the bank.”' },
  4: { teaches: 'a CA’s signature ties the bank’s key to its name; the browser checks name, dates and issuer', misconception: '“A certificate warning is just noise: click through.”' },
  6: { teaches: 'one-time keys (ECDHE): a key leaked later opens nothing recorded today', misconception: '“If the bank’s key leaks, everything it ever received is open.”' },
  5: { teaches: 'TLS 1.3: forward secrecy always, the handshake encrypted sooner', misconception: '“Newer versions are just faster: the old ones are as good.”' },
  7: { teaches: 'root → intermediate → bank: a certificate must chain to a CA, and a site cannot sign for others', misconception: '“Any valid certificate can vouch for another.”' },
};

/** What the teacher's dashboard and CSV call each misconception a student's play showed. */
export const MISCONCEPTION_WORDS: Readonly<Record<Misconception, string>> = {
  clickedThroughForgedCertificate: 'clicked through a forged certificate',
  trustedStrippedPage: 'trusted a page after stripping (no padlock)',
  acceptedLookalikeName: 'accepted a look-alike name',
  installedRogueRoot: 'installed the café root',
  abortedCleanSession: 'aborted a clean session (false alarm)',
  misIssuedCertificate: 'signed a certificate for a name without checking it',
  refusedLeakedKeyRevocation: 'refused to revoke a leaked key’s certificate',
};
