/**
 * HSTS max-age played (RFC 6797 §6.1.1, §8.1.1), at the returning-visit event: Alice was at the
 * bank 40 days ago and her browser noted its header then. The standard bank's year still holds —
 * straight to https://, and no click-through on a certificate error (§8.4, §12.1); the careless
 * bank's month ran out ten days ago, and the strip bot wins as on a first visit.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TEXTS, LAST_VISIT_DAYS_AGO, RETURNING_STS_HEADERS, simulateRound, viewFor, type ClientView } from '@heist/shared';
import { clientLines, play, startRound } from './play.ts';

const DAY = 86_400;

describe('the returning-visit event (hstsReturningVisit)', () => {
  it('stages what her browser noted 40 days ago: the header as §6.1 reads it, until max-age after it arrived (§8.1.1)', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'careless', ca: 'strict', attacker: 'none' }, 'returning/staged', { event: 'hstsReturningVisit' });
    const visitedAt = round.config.gameClock - LAST_VISIT_DAYS_AGO * DAY;
    expect(round.client.config.hsts).toEqual([]);
    expect(round.client.config.hstsPreload).toBeUndefined();
    expect(round.client.config.hstsNoted).toEqual([{ domain: 'bank.example', includeSubDomains: true, source: 'noted', expiresAt: visitedAt + 30 * DAY }]);
    expect(round.server.config.stsHeader).toBe(RETURNING_STS_HEADERS.careless);
    expect(viewFor(round, 'server')).toMatchObject({ stsHeader: RETURNING_STS_HEADERS.careless });
  });

  it('in a class round the room decides, as it gives Alice HSTS or not: without, the standard bank’s header too said a month', () => {
    const bots = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' } as const;
    expect(startRound(4, 'returning/class-without', { bots, event: 'hstsReturningVisit', clientHsts: false }).server.config.stsHeader).toBe(RETURNING_STS_HEADERS.careless);
    expect(startRound(4, 'returning/class-with', { bots, event: 'hstsReturningVisit', clientHsts: true }).server.config.stsHeader).toBe(RETURNING_STS_HEADERS.standard);
  });

  it('level 4, careless bank (a month’s max-age), careful Alice, strip bot: the entry ran out, a first visit again — Eavesdropped, and the referee says why', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'careless', ca: 'strict', attacker: 'strip' }, 'returning/expired', { event: 'hstsReturningVisit' });
    expect(round.result?.outcome).toBe('eavesdropped');
    expect(round.result?.summary).toBe(
      `Eavesdropped: Alice had visited bank.example 40 days ago, and her browser noted the bank’s header then — Strict-Transport-Security: max-age=2592000; includeSubDomains — but its max-age ran out 10 days ago (RFC 6797 §6.1.1), so no HSTS entry was left: her first request was plain http://, as on a first visit, and Mallory kept her there (SSL stripping), removing the header from the answers she passed on. She read the PIN ${round.client.secret}. A max-age of a year would still have held and sent her browser straight to https://.`,
    );
    expect(clientLines(round)).toContain('The HSTS entry for bank.example from an earlier visit ran out 10 days ago (its max-age had passed): as on a first visit, the browser asks http://bank.example/ in plain HTTP first.');
    expect((viewFor(round, 'client') as ClientView).browser).toEqual({ hsts: false, returningVisit: { daysAgo: 40, header: RETURNING_STS_HEADERS.careless, maxAgeDays: 30, expiredDaysAgo: 10 } });
  });

  it('level 5, standard bank (a year’s max-age), careless Alice, strip bot: the entry holds, straight to https:// — Secure; today’s header renews it for a year', () => {
    const { round } = simulateRound(5, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'strip' }, 'returning/holds', { event: 'hstsReturningVisit' });
    expect(round.result?.outcome).toBe('secure');
    expect(round.client.checks.find((c) => c.check === 'hsts')?.detail).toBe(
      "bank.example is on the browser's HSTS list (noted on an earlier visit, for max-age: 325 more days, RFC 6797 §6.1.1): it went straight to HTTPS, without a plain http:// request to strip",
    );
    expect(round.packets.some((p) => p.from === 'client' && Buffer.from(p.bytes).toString('latin1').startsWith('GET ')), 'no plain request').toBe(false);
    expect((viewFor(round, 'client') as ClientView).browser).toEqual({
      hsts: true,
      returningVisit: { daysAgo: 40, header: RETURNING_STS_HEADERS.standard, maxAgeDays: 365, noted: { domain: 'bank.example', includeSubDomains: true, maxAgeDays: 365 } },
    });
  });

  it('level 4, standard bank, careless Alice against a fake certificate: no way through for an HSTS host (RFC 6797 §8.4, §12.1) — she can only go back', () => {
    const bots = { client: 'careless', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } as const;
    const round = startRound(4, 'returning/no-recourse', { bots, event: 'hstsReturningVisit' });
    let refusedTrust: string | undefined;
    play(round, 'client', (v: ClientView) => {
      if (v.allowed.includes('connect')) return { type: 'connect' };
      if (v.decision) {
        refusedTrust = v.unavailable.trust;
        return { type: 'abort' };
      }
      return null;
    }, bots);
    expect(refusedTrust).toBe('bank.example is on your browser’s HSTS list: on a certificate error it offers no way through, only back (RFC 6797 §12.1)');
    expect(clientLines(round)).toContain("The certificate failed a check, and bank.example is on the browser's HSTS list: it offers no way through, only back.");
    expect(round.result?.outcome).toBe('attackDetected');
  });

  it('the briefing quotes RFC 6797 §6.1.1 and §6.1.2 as written (its 80 words: names-and-dates.test.ts)', () => {
    const more = EVENT_TEXTS.hstsReturningVisit.briefing.more.join(' ');
    expect(more).toContain('“specifies the number of seconds, after the reception of the STS header field, during which the UA regards the host … as a Known HSTS Host.”');
    expect(more).toContain('“signals the UA that the HSTS Policy applies to this HSTS Host as well as any subdomains of the host’s domain name”');
  });
});

describe('the returning-visit event: the bank’s first step says what is true of its header', () => {
  it('the bank’s seat cannot set its header (the room deals it), and its first step says so, and what it means for Alice', () => {
    expect(EVENT_TEXTS.hstsReturningVisit.briefing.firstSteps.server).toBe('Your operator chose your header (a room setting), not you: its max-age decides whether Alice is still covered.');
    // The same human bank seat, two rooms: the header is dealt, and nothing the seat may do changes it.
    for (const [clientHsts, header] of [[true, RETURNING_STS_HEADERS.standard], [false, RETURNING_STS_HEADERS.careless]] as const) {
      const round = startRound(4, `returning/dealt/${clientHsts}`, { event: 'hstsReturningVisit', clientHsts, humanSeats: ['server'] });
      const bank = viewFor(round, 'server');
      expect(bank).toMatchObject({ stsHeader: header });
      expect([...bank.allowed, ...Object.keys(bank.unavailable)].join(' ')).not.toMatch(/header|hsts|sts/i);
    }
  });
});
