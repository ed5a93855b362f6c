/**
 * HSTS in full (RFC 6797), at the first-visit event: the header as §6.1 writes it, what a browser
 * notes from it (§8.1, §8.1.1) and which names it then covers (§8.2); a round in which Alice has
 * never been to the bank, with and without the bank on her browser's preload list (§12.3, §14.6).
 */
import { describe, expect, it } from 'vitest';
import {
  BANK_STS_HEADER,
  decodeMessage,
  encodeMessage,
  fromUtf8,
  inspectMessage,
  knownHstsHost,
  misconceptionsOf,
  noteHstsHost,
  parseStsHeader,
  simulateRound,
  viewFor,
  type AttackerView,
  type ClientView,
  type KnownHstsHost,
} from '@heist/shared';
import { clientLines, play, startRound } from './play.ts';

const YEAR = 31_536_000;

describe('the Strict-Transport-Security header (RFC 6797 §6.1)', () => {
  it('reads the bank’s header and §6.2’s examples; ignores a directive it does not know (preload)', () => {
    expect(parseStsHeader(BANK_STS_HEADER)).toEqual({ maxAge: YEAR, includeSubDomains: true, preload: true });
    expect(parseStsHeader('max-age=31536000')).toEqual({ maxAge: YEAR, includeSubDomains: false, preload: false });
    expect(parseStsHeader('max-age=15768000 ; includeSubDomains')).toEqual({ maxAge: 15_768_000, includeSubDomains: true, preload: false });
    expect(parseStsHeader('Max-Age="0"; INCLUDESUBDOMAINS; someday=1')).toEqual({ maxAge: 0, includeSubDomains: true, preload: false });
  });

  it('refuses a header without max-age, with a directive twice, or includeSubDomains with a value — the browser then ignores it whole', () => {
    expect(parseStsHeader('includeSubDomains')).toEqual({ invalid: 'no max-age in seconds (RFC 6797 §6.1.1: it is required)' });
    expect(parseStsHeader('max-age=10; max-age=20')).toEqual({ invalid: 'max-age appears twice (RFC 6797 §6.1: each directive at most once)' });
    expect(parseStsHeader('max-age=ten')).toEqual({ invalid: 'no max-age in seconds (RFC 6797 §6.1.1: it is required)' });
    expect(parseStsHeader('max-age=10; includeSubDomains=yes')).toEqual({ invalid: 'includeSubDomains takes no value (§6.1.2)' });
  });

  it('max-age and includeSubDomains: the noted host, its subdomains, and the day it expires (§6.1.1, §6.1.2, §8.2)', () => {
    const now = 1_800_000_000;
    const noted = noteHstsHost(parseStsHeader(BANK_STS_HEADER) as never, 'Bank.Example', now)!;
    expect(noted).toEqual({ domain: 'bank.example', includeSubDomains: true, source: 'noted', expiresAt: now + YEAR });
    const store: KnownHstsHost[] = [noted];
    expect(knownHstsHost(store, 'bank.example', now + 1)).toBe(noted);
    expect(knownHstsHost(store, 'login.bank.example', now + 1)).toBe(noted);
    expect(knownHstsHost(store, 'bank-examp1e.example', now + 1)).toBeUndefined();
    expect(knownHstsHost(store, 'bank.example', now + YEAR), 'max-age passed: a first visit again').toBeUndefined();
    // Without includeSubDomains the policy is the name's alone: Mallory may strip login.bank.example.
    const alone = noteHstsHost(parseStsHeader('max-age=31536000') as never, 'bank.example', now)!;
    expect(knownHstsHost([alone], 'login.bank.example', now + 1)).toBeUndefined();
    expect(noteHstsHost(parseStsHeader('max-age=0') as never, 'bank.example', now), 'max-age=0: forget it').toBeUndefined();
  });

  it('travels as a real header line in the bank’s HTTP response, and the inspector names it', () => {
    const bytes = encodeMessage({ type: 'HttpResponse', status: 200, body: 'ok', hsts: BANK_STS_HEADER });
    expect(fromUtf8(bytes)).toBe('HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains; preload\r\n\r\nok');
    expect(decodeMessage(bytes)).toEqual({ type: 'HttpResponse', status: 200, body: 'ok', hsts: BANK_STS_HEADER });
    const field = inspectMessage(bytes).fields.find((f) => f.name === 'hsts');
    expect(field).toMatchObject({ value: BANK_STS_HEADER, offset: 104, // 17 + 41 + 19 bytes of the lines before, and the header's name
    length: BANK_STS_HEADER.length });
    expect(() => encodeMessage({ type: 'HttpResponse', status: 200, body: 'ok', hsts: 'max-age=1\r\nSet-Cookie: x' })).toThrow('Strict-Transport-Security must be one line');
  });
});

describe('the first-visit event (hstsFirstVisit)', () => {
  it('level 4, careless Alice (no preload list), strip bot: stripped on the first request, and the referee says which HSTS rule was missing', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'strip' }, 'first-visit/stripped', { event: 'hstsFirstVisit' });
    expect(round.result?.outcome).toBe('eavesdropped');
    expect(round.result?.summary).toBe(
      `Eavesdropped: Alice had never visited bank.example, so her browser had noted no HSTS header from it, and it was not on her browser’s preload list: its first request was plain http://, and Mallory kept her there (SSL stripping), removing the bank’s Strict-Transport-Security header from the answers she passed on. She read the PIN ${round.client.secret}. HSTS from a visit cannot protect a first visit (RFC 6797 §14.6); the preload list (§12.3) would have sent the browser straight to https://.`,
    );
    expect(clientLines(round)).toContain('No HSTS entry for bank.example (a first visit): the browser asks http://bank.example/ in plain HTTP first.');
    // Mallory's HTTPS session with the bank got the header; what Alice got in the clear has none.
    const attacker = viewFor(round, 'attacker') as AttackerView;
    expect(attacker.timeline.map((e) => e.text)).toContain(`The bank's answer carried Strict-Transport-Security: ${BANK_STS_HEADER}. You pass the answer on in plain HTTP without it.`);
    const plainToAlice = round.packets.filter((p) => p.to === 'client' && Buffer.from(p.bytes).toString('latin1').startsWith('HTTP/1.1'));
    expect(plainToAlice.length).toBeGreaterThan(0);
    for (const p of plainToAlice) expect(fromUtf8(p.bytes)).not.toContain('Strict-Transport-Security');
    expect(round.client.hstsNoted).toBeUndefined();
    expect((viewFor(round, 'client') as ClientView).browser).toEqual({ hsts: false, firstVisit: { preloaded: false } });
    expect(misconceptionsOf(round).client).toEqual(['trustedStrippedPage']);
  });

  it('level 5, careful Alice (bank.example preloaded), strip bot: straight to https://, Secure; her browser notes the header for a year, subdomains too', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'strip' }, 'first-visit/preloaded', { event: 'hstsFirstVisit' });
    expect(round.result?.outcome).toBe('secure');
    expect(round.client.checks.find((c) => c.check === 'hsts')?.detail).toBe(
      "bank.example is on the browser's HSTS list (preloaded: built into the browser, RFC 6797 §12.3 — no earlier visit needed): it went straight to HTTPS, without a plain http:// request to strip",
    );
    expect(round.packets.some((p) => p.from === 'client' && Buffer.from(p.bytes).toString('latin1').startsWith('GET ')), 'no plain request').toBe(false);
    expect(clientLines(round)).toContain(`Strict-Transport-Security: ${BANK_STS_HEADER} — noted: bank.example and every name under it HTTPS-only for 365 days (max-age 31536000 s). Next visit, no plain http:// request.`);
    expect((viewFor(round, 'client') as ClientView).browser?.firstVisit).toEqual({ preloaded: true, noted: { domain: 'bank.example', includeSubDomains: true, maxAgeDays: 365 } });
    expect(misconceptionsOf(round)).toEqual({});
  });

  it('level 4, careless Alice unattacked: one plain request, then HTTPS — and from then on her browser knows the bank (the gap is the first visit only)', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'none' }, 'first-visit/unattacked', { event: 'hstsFirstVisit' });
    expect(round.result?.outcome).toBe('secure');
    expect(round.client.hstsNoted?.entry).toMatchObject({ domain: 'bank.example', includeSubDomains: true, source: 'noted' });
    expect(knownHstsHost([round.client.hstsNoted!.entry], 'login.bank.example', round.config.gameClock + 86_400)).toBeDefined();
  });

  it('level 4, careless Alice clicks through Mallory’s certificate: the header her proxy passes on is ignored (RFC 6797 §8.1: only over HTTPS without errors)', () => {
    const bots = { client: 'careless', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } as const;
    const round = startRound(4, 'first-visit/clicked-through', { bots, event: 'hstsFirstVisit' });
    play(round, 'client', (v: ClientView) => {
      if (v.allowed.includes('connect')) return { type: 'connect' };
      if (v.decision) return { type: 'trust' };
      return v.allowed.includes('sendSecret') ? { type: 'sendSecret' } : null;
    }, bots);
    expect(round.result?.outcome).toBe('impersonated');
    expect(clientLines(round)).toContain(`The answer carried Strict-Transport-Security: ${BANK_STS_HEADER} — ignored: it did not come over an HTTPS connection without errors (RFC 6797 §8.1).`);
    expect(round.client.hstsNoted).toBeUndefined();
  });
});
