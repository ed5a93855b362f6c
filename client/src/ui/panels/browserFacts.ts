/**
 * Which browser Alice has, one trait a line, each found by its id: what it remembers of the
 * bank (HSTS: its first visit, or a returning one), the key exchange it offers, its TLS versions, whether it
 * requires Certificate Transparency, its revocation policy (revocation.ts), a session ticket.
 * The view says every trait; these only put it in words: the kind in bold, then what it does.
 */
import type { ClientView } from '../../shared.ts';
import { h } from '../dom.ts';

type Browser = NonNullable<ClientView['browser']>;

/** One trait of her browser: the words before, the kind in bold, what that kind does. */
export function browserFact(id: string, lead: string, kind: string, does: string): HTMLElement {
  return h('p', { id }, lead, h('strong', {}, kind), does);
}

/** Which browser this is: it decides whether Alice's first request is plain http:// (what SSL stripping needs). */
export function browserLine(hsts: boolean, target: string): HTMLElement {
  // A look-alike name is another site: the bank's HSTS entry, if any, says nothing about it.
  if (target !== 'bank.example') return browserFact('my-browser', 'Your browser: ', `no HSTS entry for ${target}`, ' — it asks http:// first and follows that site’s redirect to https://.');
  return hsts
    ? browserFact('my-browser', 'Your browser: ', 'you have been to bank.example before', ' — it remembers the bank’s HSTS header and goes straight to https://.')
    : browserFact('my-browser', 'Your browser: ', 'your first visit to bank.example', ' — no HSTS yet, so it asks http:// first and follows the bank’s redirect to https://.');
}

/** What the bank's header left behind this round, over HTTPS (RFC 6797 §8.1.1). */
function notedLine(noted: NonNullable<Browser['firstVisit']>['noted']): HTMLElement | null {
  return noted
    ? browserFact('my-hsts-noted', 'HSTS noted: ', `${noted.domain}${noted.includeSubDomains ? ' and every name under it' : ''}, HTTPS-only for ${noted.maxAgeDays} days`, ' — from the bank’s Strict-Transport-Security header, over HTTPS.')
    : null;
}

/** The first-visit event: never been to the bank; its preload list decides, and what the bank's header left behind. */
export function firstVisitLines(f: NonNullable<Browser['firstVisit']>): HTMLElement {
  return h(
    'div',
    {},
    f.preloaded
      ? browserFact('my-browser', 'Your browser: ', 'your first visit to bank.example, but it is on your browser’s preload list', ' — it goes straight to https://.')
      : browserFact('my-browser', 'Your browser: ', 'your first visit to bank.example, and no preload list', ' — it asks http:// first and follows the bank’s redirect to https://.'),
    notedLine(f.noted),
  );
}

/** The returning-visit and subdomain events: what her browser noted on her last visit, whether its max-age has run out since, and whether it covers the subdomain she is sent to. */
export function returningVisitLines(r: NonNullable<Browser['returningVisit']>): HTMLElement {
  const said = h('code', {}, r.header);
  const sub = r.subdomain;
  return h(
    'div',
    {},
    sub && r.expiredDaysAgo === undefined
      ? sub.covered
        ? h('p', { id: 'my-browser' }, 'Your browser: ', h('strong', {}, `you were at bank.example ${r.daysAgo} days ago, and its HSTS entry covers ${sub.name} too`), ' — the bank said ', said, ', so it goes straight to https://, and a certificate error has no way through.')
        : h('p', { id: 'my-browser' }, 'Your browser: ', h('strong', {}, `you were at bank.example ${r.daysAgo} days ago, but its HSTS entry does not cover ${sub.name}`), ' — the bank said ', said, ', without includeSubDomains: so it asks http:// first.')
      : r.expiredDaysAgo === undefined
      ? h('p', { id: 'my-browser' }, 'Your browser: ', h('strong', {}, `you were at bank.example ${r.daysAgo} days ago, and its HSTS entry holds ${r.maxAgeDays - r.daysAgo} more days`), ' — the bank said ', said, ` (max-age: ${r.maxAgeDays} days), so it goes straight to https://, and a certificate error has no way through.`)
      : h('p', { id: 'my-browser' }, 'Your browser: ', h('strong', {}, `you were at bank.example ${r.daysAgo} days ago, but its HSTS entry ran out ${r.expiredDaysAgo} days ago`), ' — the bank said ', said, ` (max-age: ${r.maxAgeDays} days), so it asks http:// first, as on a first visit.`),
    notedLine(r.noted),
  );
}

/** The downgrade event: which TLS stack this browser has. */
export function tls12Line(t: { checksSentinel: boolean }): HTMLElement {
  const does = t.checksSentinel ? ' — it offers TLS 1.3 and TLS 1.2, and checks a TLS 1.2 answer for TLS 1.3’s downgrade sentinel.' : ' — it offers TLS 1.3 and TLS 1.2, and does not look for TLS 1.3’s downgrade sentinel.';
  return browserFact('my-versions', 'Your browser is ', t.checksSentinel ? 'up to date' : 'old', does);
}

/** The harvest event: which key exchange this browser offers, and so whether a recording of it outlasts X25519. */
export function keySharesLine(k: { groups: string[]; postQuantum: boolean }): HTMLElement {
  return browserFact('my-key-shares', 'Your browser is ', k.postQuantum ? 'up to date' : 'old', ` — it offers ${k.groups.join(', ')}${k.postQuantum ? ': post-quantum first' : ': nothing post-quantum'}.`);
}

/** The CT event: whether this browser refuses a certificate no public log has seen. */
export function transparencyLine(t: NonNullable<Browser['transparency']>): HTMLElement {
  const does = t.requiresSct ? ' — it requires Certificate Transparency: a certificate without a signed timestamp (SCT) from a public log is refused.' : ' — it does not look for Certificate Transparency: a certificate kept out of the public logs passes too.';
  return browserFact('my-ct', 'Your browser is ', t.requiresSct ? 'up to date' : 'old', does);
}

/** The early-data event: she comes back with yesterday's ticket, and so sends her order at once. */
export function ticketLine(): HTMLElement {
  return browserFact('my-ticket', 'Your browser kept ', 'a session ticket from yesterday’s visit', ': Connect sends your PIN and transfer with its very first message (0-RTT early data), no round trip to wait for.');
}
