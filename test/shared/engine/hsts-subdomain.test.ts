/**
 * HSTS includeSubDomains played (RFC 6797 §6.1.2, §8.2), at the subdomain event: Alice was at
 * bank.example 10 days ago (a year's max-age: it holds) and Mallory's message sends her to
 * http://login.bank.example/. The standard bank's header had includeSubDomains — the entry covers
 * the login page, straight to https:// — the careless bank's had not, and the strip bot wins.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TEXTS, EVENT_VERDICTS, LOGIN_NAME, SUBDOMAIN_STS_HEADERS, SUBDOMAIN_VISIT_DAYS_AGO, simulateRound, viewFor, type ClientView, type ServerView } from '@heist/shared';
import { clientLines, play, startRound } from './play.ts';

const DAY = 86_400;
const plainRequests = (round: ReturnType<typeof simulateRound>['round']) => round.packets.filter((p) => p.from === 'client' && Buffer.from(p.bytes).toString('latin1').startsWith('GET '));

describe('the subdomain event (hstsSubdomain)', () => {
  it('stages her entry for bank.example from 10 days ago, the login page as the name she asks for, and the bank’s certificate for both names', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'careless', ca: 'strict', attacker: 'none' }, 'subdomain/staged', { event: 'hstsSubdomain' });
    const visitedAt = round.config.gameClock - SUBDOMAIN_VISIT_DAYS_AGO * DAY;
    expect(round.client.config.serverName).toBe(LOGIN_NAME);
    expect(round.client.config.hstsNoted).toEqual([{ domain: 'bank.example', includeSubDomains: false, source: 'noted', expiresAt: visitedAt + 365 * DAY }]);
    expect(round.server.config.stsHeader).toBe(SUBDOMAIN_STS_HEADERS.careless);
    expect(round.server.config.certificate?.names).toEqual(['bank.example', LOGIN_NAME]);
    // No attacker: the careless bank's redirect sends her to https:// for the name she asked for, and the bank answers for it.
    expect(new TextDecoder().decode(round.packets.find((p) => p.from === 'server')!.bytes)).toContain(`Location: https://${LOGIN_NAME}/`);
    expect(round.result?.outcome).toBe('secure');
  });

  it('level 4, careless bank (no includeSubDomains), careful Alice, strip bot: the entry does not cover the login page — Eavesdropped, and the referee says why', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'careless', ca: 'strict', attacker: 'strip' }, 'subdomain/uncovered', { event: 'hstsSubdomain' });
    expect(round.result?.outcome).toBe('eavesdropped');
    expect(round.result?.summary).toBe(
      `Eavesdropped: Alice had visited bank.example 10 days ago, and her browser noted the bank’s header then — Strict-Transport-Security: max-age=31536000 — which still held, but without includeSubDomains it covers bank.example alone (RFC 6797 §6.1.2, §8.2): Mallory’s message sent her to http://login.bank.example/, her browser asked for it in plain http://, and Mallory kept her there (SSL stripping). She read the PIN ${round.client.secret}. With includeSubDomains the same entry would have sent her browser straight to https://login.bank.example/.`,
    );
    expect(clientLines(round)).toContain("The browser's HSTS entry for bank.example has no includeSubDomains, so it does not cover login.bank.example: the browser asks http://login.bank.example/ in plain HTTP first.");
    expect((viewFor(round, 'client') as ClientView).browser?.returningVisit).toEqual({ daysAgo: 10, header: SUBDOMAIN_STS_HEADERS.careless, maxAgeDays: 365, subdomain: { name: LOGIN_NAME, covered: false } });
  });

  it('level 5, standard bank (includeSubDomains), careless Alice, strip bot: the entry covers the login page, straight to https:// — Secure, the bank answering for login.bank.example', () => {
    const { round } = simulateRound(5, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'strip' }, 'subdomain/covered', { event: 'hstsSubdomain' });
    expect(round.result?.outcome).toBe('secure');
    expect(round.client.checks.find((c) => c.check === 'hsts')?.detail).toBe(
      "login.bank.example is on the browser's HSTS list (noted on an earlier visit, for max-age: 355 more days, RFC 6797 §6.1.1, by the entry for bank.example with includeSubDomains, RFC 6797 §6.1.2): it went straight to HTTPS, without a plain http:// request to strip",
    );
    expect(plainRequests(round), 'no plain request').toEqual([]);
    expect((viewFor(round, 'client') as ClientView).browser?.returningVisit?.subdomain).toEqual({ name: LOGIN_NAME, covered: true });
  });

  it('a bank seat that asks the CA again while preparing may name the login page: for bank.example alone, Alice’s browser at login.bank.example finds the wrong name (no attacker needed); for login.bank.example, Secure', () => {
    for (const subject of ['bank.example', LOGIN_NAME]) {
      const r = startRound(5, `subdomain/renewed ${subject}`, { event: 'hstsSubdomain', humanSeats: ['server'], bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' } });
      expect((viewFor(r, 'server') as ServerView).certificateChoices?.names).toEqual(['bank.example', 'www.bank.example', LOGIN_NAME]);
      let asked = false;
      play(r, 'server', (v: ServerView) => {
        if (!asked) return (asked = true), { type: 'requestCertificate', subject, key: 'signingKey' };
        return v.csr === 'issued' && v.allowed.includes('ready') ? { type: 'ready' } : null;
      });
      expect(r.server.config.certificate?.names).toEqual([subject]);
      if (subject === LOGIN_NAME) expect(r.result?.outcome).toBe('secure');
      else expect(r.result?.summary).toBe(`Wrong certificate: ${EVENT_VERDICTS.bankNameUncertified(LOGIN_NAME)}.`);
    }
    // Elsewhere the bank's names are its own two.
    const other = startRound(5, 'subdomain/other event', { event: 'hstsReturningVisit', humanSeats: ['server'] });
    expect((viewFor(other, 'server') as ServerView).certificateChoices?.names).toEqual(['bank.example', 'www.bank.example']);
  });

  it('the briefing quotes RFC 6797 §6.1.2 as written (its 80 words: names-and-dates.test.ts)', () => {
    expect(EVENT_TEXTS.hstsSubdomain.briefing.more.join(' ')).toContain('“signals the UA that the HSTS Policy applies to this HSTS Host as well as any subdomains of the host’s domain name.”');
  });
});

describe('the subdomain event: the bank’s first step says what is true of its header', () => {
  it('the bank’s seat cannot set its header (the room deals it), and its first step says so, and what it means for Alice', () => {
    expect(EVENT_TEXTS.hstsSubdomain.briefing.firstSteps.server).toBe('Your operator chose your header (a room setting), not you: without includeSubDomains, login.bank.example is not covered.');
    for (const [clientHsts, header] of [[true, SUBDOMAIN_STS_HEADERS.standard], [false, SUBDOMAIN_STS_HEADERS.careless]] as const) {
      const round = startRound(4, `subdomain/dealt/${clientHsts}`, { event: 'hstsSubdomain', clientHsts, humanSeats: ['server'] });
      const bank = viewFor(round, 'server') as ServerView;
      expect(bank.stsHeader).toBe(header);
      expect([...bank.allowed, ...Object.keys(bank.unavailable)].join(' ')).not.toMatch(/header|hsts|sts/i);
    }
  });
});
