/**
 * HTTP Strict Transport Security (RFC 6797) in a browser: the bank's `Strict-Transport-Security`
 * header read as §6.1 writes it, the Known HSTS Host a browser notes from it (§8.1, §8.1.1), and
 * whether a name is one (§8.2). Pure: the time is passed in (game seconds).
 *
 * - max-age (§6.1.1): how many seconds the browser keeps the policy, counted from when the header
 *   arrived; `max-age=0` ends it. Once it has passed, the host is no longer known: the next visit
 *   asks http:// first again (§6.1.1, §8.1.1).
 * - includeSubDomains (§6.1.2): the policy also covers every subdomain (§8.2's superdomain match).
 * - preload: not in RFC 6797. It asks browser makers to build the name into their lists
 *   (hstspreload.org: max-age of a year or more, includeSubDomains). RFC 6797 §12.3 describes such
 *   a "pre-loaded list"; a browser ignores a directive it does not know (§6.1), so it is safe to send.
 * - A header over plain http:// is ignored (§8.1): Mallory could have written it.
 */

/** The bank's header at the first-visit event, as a site on the preload list sends it: a year, subdomains, and the preload request. */
export const BANK_STS_HEADER = 'max-age=31536000; includeSubDomains; preload';

/**
 * The returning-visit event: the header the bank sent on Alice's last visit (and sends again),
 * differing in max-age alone — a standard bank's year, a careless bank's month (30 days) — and
 * how long ago that visit was: long enough for the month to have run out, not the year.
 */
export const RETURNING_STS_HEADERS = { standard: 'max-age=31536000; includeSubDomains', careless: 'max-age=2592000; includeSubDomains' } as const;
export const LAST_VISIT_DAYS_AGO = 40;

/**
 * The subdomain event: the header the bank sent on Alice's visit 10 days ago (a year either way,
 * so max-age holds), differing in includeSubDomains alone — a standard bank's covers its
 * subdomains, a careless bank's covers bank.example only.
 */
export const SUBDOMAIN_STS_HEADERS = { standard: 'max-age=31536000; includeSubDomains', careless: 'max-age=31536000' } as const;
export const SUBDOMAIN_VISIT_DAYS_AGO = 10;

export interface HstsPolicy {
  /** Seconds (§6.1.1). */
  maxAge: number;
  includeSubDomains: boolean;
  /** The hstspreload.org request (not RFC 6797's; ignored by the browser's processing). */
  preload: boolean;
}

/** A name the browser treats as HTTPS-only: built into it (preloaded), or noted from a header it received over HTTPS. */
export interface KnownHstsHost {
  domain: string;
  includeSubDomains: boolean;
  source: 'preloaded' | 'noted';
  /** Game seconds; a preloaded entry does not expire (it goes with the browser's updates). */
  expiresAt?: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // RFC 9110 §5.6.2

/**
 * RFC 6797 §6.1: directives separated by ";", names case-insensitive, each at most once, max-age
 * required and a number of seconds (quoted or not); unknown directives ignored. Anything else
 * makes the header invalid, and the browser then ignores it whole (§8.1, §6.1).
 */
export function parseStsHeader(value: string): HstsPolicy | { invalid: string } {
  const seen = new Map<string, string | undefined>();
  for (const part of value.split(';')) {
    const directive = part.trim();
    if (directive === '') continue;
    const eq = directive.indexOf('=');
    const name = (eq < 0 ? directive : directive.slice(0, eq)).trim().toLowerCase();
    if (!TOKEN.test(name)) return { invalid: `"${directive}" is not a directive` };
    if (seen.has(name)) return { invalid: `${name} appears twice (RFC 6797 §6.1: each directive at most once)` };
    let arg = eq < 0 ? undefined : directive.slice(eq + 1).trim();
    if (arg?.startsWith('"') && arg.endsWith('"') && arg.length >= 2) arg = arg.slice(1, -1);
    seen.set(name, arg);
  }
  const maxAge = seen.get('max-age');
  if (maxAge === undefined || !/^\d{1,12}$/.test(maxAge)) return { invalid: 'no max-age in seconds (RFC 6797 §6.1.1: it is required)' };
  if (seen.has('includesubdomains') && seen.get('includesubdomains') !== undefined) return { invalid: 'includeSubDomains takes no value (§6.1.2)' };
  return { maxAge: Number(maxAge), includeSubDomains: seen.has('includesubdomains'), preload: seen.has('preload') };
}

/** RFC 6797 §8.1.1: what the browser keeps from a valid header received over HTTPS from `host` at `now`; max-age 0 keeps nothing. */
export function noteHstsHost(policy: HstsPolicy, host: string, now: number): KnownHstsHost | undefined {
  if (policy.maxAge === 0) return undefined;
  return { domain: host.toLowerCase(), includeSubDomains: policy.includeSubDomains, source: 'noted', expiresAt: now + policy.maxAge };
}

/**
 * RFC 6797 §8.2: the entry that makes `host` a Known HSTS Host at `now` — the same name
 * (a congruent match), or a superdomain whose entry has includeSubDomains — if it has not expired.
 */
export function knownHstsHost(store: readonly KnownHstsHost[], host: string, now: number): KnownHstsHost | undefined {
  const name = host.toLowerCase();
  const live = store.filter((e) => e.expiresAt === undefined || e.expiresAt > now);
  return live.find((e) => e.domain === name) ?? live.find((e) => e.includeSubDomains && name.endsWith(`.${e.domain}`));
}
