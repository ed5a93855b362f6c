/**
 * What happens before TLS at levels 4-5, as in a real browser: the user types `bank.example`.
 * A browser with the name on its HSTS list (RFC 6797: remembered from an earlier visit, or
 * preloaded) goes straight to https://. Any other browser first asks http://bank.example/ in
 * the clear, and the bank answers with a redirect to https:// — the one plain exchange an
 * SSL-stripping attacker (sslstrip) needs: she hides the redirect and answers in plain HTTP
 * herself.
 *
 * The game's HttpResponse has no headers, so a 301's Location travels as its body.
 */
import type { Message } from '../messages/types.ts';
import { fail, type AcceptedHello } from './traffic.ts';
import { failedCertificateChecks, type Failure } from './failures.ts';
import type { CertificateCheckName, CheckResult } from '../basics/checks.ts';
import { knownHstsHost, type KnownHstsHost } from './hsts.ts';
import { emptyOutput, type ClientConfig, type HttpMessage, type Output, type Phase, type Step, type Traffic, type Failed } from './types.ts';

/** Waiting for the answer to the plain http:// request. */
export type ExpectRedirect = { kind: 'ExpectRedirect' };

export const httpsUrl = (name: string) => `https://${name}/`;

/**
 * The entry that makes the name HTTPS-only for this browser at `now` (game seconds): an earlier
 * visit's (the level's returning Alice, or one noted with its max-age), or its pre-loaded list's.
 */
function hstsEntry(config: ClientConfig, now: number): KnownHstsHost | undefined {
  if (config.hsts.includes(config.serverName)) return { domain: config.serverName, includeSubDomains: false, source: 'noted' };
  return knownHstsHost([...(config.hstsNoted ?? []), ...(config.hstsPreload ?? [])], config.serverName, now);
}

export function hasHsts(config: ClientConfig, now: number): boolean {
  return hstsEntry(config, now) !== undefined;
}

/** What the browser says when a certificate fails a check: an HSTS host's error has no way through (RFC 6797 §8.4, §12.1). */
export function certificateWarning(config: ClientConfig, now: number): string {
  return hasHsts(config, now)
    ? `The certificate failed a check, and ${config.serverName} is on the browser's HSTS list: it offers no way through, only back.`
    : 'The certificate failed a check: waiting for the player to go back or proceed anyway.';
}

const DAY = 86_400;

/** Where the HSTS entry came from, as the check's detail says it. */
function entryWords(entry: KnownHstsHost, now: number): string {
  if (entry.source === 'preloaded') return 'preloaded: built into the browser, RFC 6797 §12.3 — no earlier visit needed';
  if (entry.expiresAt === undefined) return 'from an earlier visit';
  return `noted on an earlier visit, for max-age: ${Math.round((entry.expiresAt - now) / DAY)} more days, RFC 6797 §6.1.1`;
}

/** The browser's first step: straight to TLS with HSTS (recorded as a passed check), or the plain request. */
export function openOverHttp(config: ClientConfig, out: Output, now: number): 'tls' | ExpectRedirect {
  const entry = hstsEntry(config, now);
  if (entry) {
    // A superdomain's entry with includeSubDomains (RFC 6797 §8.2): the subdomain is a Known HSTS Host too.
    const via = entry.domain === config.serverName.toLowerCase() ? '' : `, by the entry for ${entry.domain} with includeSubDomains, RFC 6797 §6.1.2`;
    out.checks.push({ check: 'hsts', passed: true, detail: `${config.serverName} is on the browser's HSTS list (${entryWords(entry, now)}${via}): it went straight to HTTPS, without a plain http:// request to strip` });
    out.log.push(`HSTS: ${config.serverName} is HTTPS-only for this browser${entry.source === 'preloaded' ? ' (on its preload list)' : via ? ` (its entry for ${entry.domain} includes subdomains)` : ''}, so it goes straight to https://.`);
    return 'tls';
  }
  const request: HttpMessage = { type: 'HttpRequest', method: 'GET', host: config.serverName, path: '/', body: '' };
  out.send.push(request);
  // An entry noted on an earlier visit whose max-age has passed is gone: the browser is where a first visit is (RFC 6797 §6.1.1).
  const expired = config.hstsNoted?.find((e) => e.domain === config.serverName && e.expiresAt !== undefined && e.expiresAt <= now);
  // An entry for a superdomain without includeSubDomains covers that name alone (RFC 6797 §8.2).
  const parent = config.hstsNoted?.find((e) => config.serverName.endsWith(`.${e.domain}`) && !e.includeSubDomains);
  out.log.push(
    expired
      ? `The HSTS entry for ${config.serverName} from an earlier visit ran out ${Math.round((now - expired.expiresAt!) / DAY)} days ago (its max-age had passed): as on a first visit, the browser asks http://${config.serverName}/ in plain HTTP first.`
      : parent
        ? `The browser's HSTS entry for ${parent.domain} has no includeSubDomains, so it does not cover ${config.serverName}: the browser asks http://${config.serverName}/ in plain HTTP first.`
        : `No HSTS entry for ${config.serverName} (a first visit): the browser asks http://${config.serverName}/ in plain HTTP first.`,
  );
  return { kind: 'ExpectRedirect' };
}

/** A certified level's browser starts: a plain http:// request first where it has no HSTS for the name, else straight to its hello. */
export function startHttpFirst<S extends { kind: string }>(config: ClientConfig, now: number, hello: (out: Output) => Step<Phase<S>>): Step<Phase<S | ExpectRedirect>> {
  const out = emptyOutput();
  const first = openOverHttp(config, out, now);
  return first === 'tls' ? hello(out) : { state: first, out };
}

/**
 * The answer to the plain request: a redirect to https:// starts TLS (`startTls`); a page
 * means the browser stays on plain http:// — it cannot tell a stripped answer from a site
 * without HTTPS, and shows no padlock.
 */
export function onPlainAnswer<S>(message: Message, config: ClientConfig, startTls: (out: Output) => Step<S>): Step<S | Traffic | Failed> {
  if (message.type !== 'HttpResponse') return fail({ reason: 'unexpectedMessage', expected: 'the answer to http://', got: message.type });
  const out = emptyOutput();
  if (message.status === 301 && message.body === httpsUrl(config.serverName)) {
    out.log.push(`The bank redirected to ${message.body}: the browser starts a TLS handshake.`);
    return startTls(out);
  }
  out.delivered.push(message);
  out.log.push(`The page arrived over plain http:// (status ${message.status}): no HTTPS, no padlock. The browser cannot tell whether the bank sent it.`);
  return { state: { kind: 'Traffic', sendKeys: null, receiveKeys: null }, out };
}

/**
 * A handshaking client that gets plain HTTP: a message out of place, for any browser. HSTS has
 * nothing to do with it: it acts before the request (RFC 6797 §8.3, http:// rewritten to
 * https://), and this browser is already speaking TLS.
 */
export function plainHttpDuringHandshake(message: Message, expected: string): Step<Failed> | undefined {
  if (message.type !== 'HttpResponse' && message.type !== 'HttpRequest') return undefined;
  return fail({ reason: 'unexpectedMessage', expected, got: message.type });
}

/**
 * The bank's port 80: every plain request gets a redirect to https:// for the name it asked for,
 * where the bank answers for it (`names`, its own first), else its own — nothing else (the bank stays listening).
 */
export function redirectToHttps(message: Message, names: readonly string[]): Output | undefined {
  if (message.type !== 'HttpRequest') return undefined;
  const out = emptyOutput();
  const to = httpsUrl(names.includes(message.host.toLowerCase()) ? message.host.toLowerCase() : names[0]!);
  out.send.push({ type: 'HttpResponse', status: 301, body: to });
  out.log.push(`A plain http:// request (${message.method} ${message.path}): answered with a redirect to ${to}.`);
  return out;
}

/**
 * A certified server's first step (levels 4-5): a plain http:// request gets the redirect to
 * https:// (and the bank keeps listening in `state`), a ClientHello that `check` refuses fails
 * the handshake — both an `answer` to return — and anything else is the hello `check` accepts.
 */
export function greetClient<S>(state: S, message: Message, names: readonly string[], check: (message: Message) => AcceptedHello | Failure): { answer: Step<S | Failed> } | AcceptedHello {
  const redirect = redirectToHttps(message, names);
  if (redirect) return { answer: { state, out: redirect } };
  const accepted = check(message);
  return 'reason' in accepted ? { answer: fail(accepted) } : accepted;
}

/** The player's answer to a certificate warning: refuse (certificateRejected), or click through, the failed checks noted, and go on. */
export function clickThrough<S>(checks: CheckResult[], trust: boolean, goOn: (clickedThrough: CertificateCheckName[], out: Output) => Step<S>): Step<S | Failed> {
  if (!trust) return fail({ reason: 'certificateRejected', checks });
  const out = emptyOutput();
  out.log.push('Clicked through the certificate warning.');
  return goOn(failedCertificateChecks(checks), out);
}
