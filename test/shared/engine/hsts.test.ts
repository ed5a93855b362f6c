/**
 * HSTS as RFC 6797 has it: a browser that knows bank.example as an HSTS host goes straight to
 * https:// (§8.3), and on any error of the secure connection it terminates, with no way for the
 * user to click through (§8.4, §12.1). It acts before the request, not on what arrives later:
 * plain HTTP in the middle of a TLS handshake is a message out of place for any browser.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, botAction, encodeMessage, LEVEL_TEXTS, toHex, type AttackerView, type ClientView } from '@heist/shared';
import { alertsFrom, attack, clientLines, honest, play, startRound } from './play.ts';

describe('no click-through on a certificate error for an HSTS host (RFC 6797 §8.4, §12.1)', () => {
  for (const level of [4, 6, 5] as const) {
    it(`level ${LEVEL_TEXTS[level].label}: the returning visitor's browser offers only going back, and says why`, () => {
      const bots = { ...honest, attacker: 'fakeCertificate' } as const; // careful Alice: bank.example is on her HSTS list
      const round = startRound(level, `hsts/no-click-through/${level}`, { bots });
      let seen: ClientView | undefined;
      play(round, 'client', (v: ClientView) => {
        if (v.allowed.includes('connect')) return { type: 'connect' };
        if (v.decision && !seen) {
          seen = v;
          expect(applyAction(round, 'client', { type: 'trust' }, round.now)).toEqual({
            code: 'notAllowed',
            message: 'bank.example is on your browser’s HSTS list: on a certificate error it offers no way through, only back (RFC 6797 §12.1)',
          });
          return { type: 'abort' };
        }
        return null;
      }, bots);
      expect(seen?.allowed).not.toContain('trust');
      expect(seen?.allowed).toContain('abort');
      expect(seen?.unavailable.trust).toBe('bank.example is on your browser’s HSTS list: on a certificate error it offers no way through, only back (RFC 6797 §12.1)');
      expect(clientLines(round)).toContain("The certificate failed a check, and bank.example is on the browser's HSTS list: it offers no way through, only back.");
      expect(clientLines(round).join('\n')).not.toMatch(/proceed anyway/);
      expect(round.result?.outcome).toBe('attackDetected');
    });
  }

  it('a first visit (no HSTS) still offers "trust anyway"', () => {
    const bots = { ...honest, client: 'careless', attacker: 'fakeCertificate' } as const;
    const round = startRound(4, 'hsts/first-visit', { bots });
    let allowed: ClientView['allowed'] = [];
    play(round, 'client', (v: ClientView) => {
      if (v.allowed.includes('connect')) return { type: 'connect' };
      if (v.decision && allowed.length === 0) {
        allowed = v.allowed;
        return { type: 'trust' };
      }
      return v.allowed.includes('sendSecret') ? { type: 'sendSecret' } : null;
    }, bots);
    expect(allowed).toContain('trust');
    expect(clientLines(round)).toContain('The certificate failed a check: waiting for the player to go back or proceed anyway.');
    expect(round.result?.outcome).toBe('impersonated');
  });

  it('the client bot that clicks through warnings goes back when its browser offers no way through', () => {
    const bots = { ...honest, attacker: 'fakeCertificate' } as const;
    const round = startRound(4, 'hsts/bot', { bots });
    let decided: ReturnType<typeof botAction> | undefined;
    play(round, 'client', (v: ClientView) => {
      if (v.allowed.includes('connect')) return { type: 'connect' };
      if (v.decision && decided === undefined) {
        decided = botAction(v, { ...bots, client: 'careless' });
        return decided as never;
      }
      return null;
    }, bots);
    expect(decided).toEqual({ type: 'abort' });
  });
});

describe('plain HTTP in the middle of a TLS handshake is not credited to HSTS', () => {
  for (const client of ['careful', 'careless'] as const) {
    it(`level 4, ${client} client: an injected plain HTTP answer is an unexpected message (unexpected_message), whatever the browser's HSTS list`, () => {
      const bots = { ...honest, client } as const;
      const round = startRound(4, `hsts/mid-handshake/${client}`, { bots });
      const page = toHex(encodeMessage({ type: 'HttpResponse', status: 200, body: 'Welcome to bank.example' }));
      let injected = false;
      attack(round, (v: AttackerView) => {
        if (v.phase !== 'playing') return null;
        const hello = v.captured.find((p) => p.label === 'ClientHello');
        if (!v.intercept && !hello) return { type: 'setIntercept', on: true };
        if (hello && !injected) {
          injected = true;
          return { type: 'inject', to: 'client', hex: page };
        }
        // Hold the bank's answer until Alice has read the injected page.
        if (injected && round.client.failure && v.held.length > 0) return { type: 'forward', packetId: v.held[0]! };
        if (!hello && v.held.length > 0) return { type: 'forward', packetId: v.held[0]! };
        return null;
      }, bots);
      expect(round.client.failure).toEqual({ reason: 'unexpectedMessage', expected: 'the handshake', got: 'HttpResponse' });
      expect(alertsFrom(round, 'client')).toEqual(['unexpected_message']);
      const hsts = round.result?.debrief.checks.find((c) => c.by === 'client' && c.check === 'hsts');
      if (client === 'careful') expect(hsts).toMatchObject({ flagged: false, actedOn: false });
      else expect(hsts).toBeUndefined();
      expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'client', check: 'messageOrder', flagged: true, actedOn: true }));
      expect(JSON.stringify(round.result)).not.toMatch(/HTTPS-only \(HSTS\): refused/);
    });
  }
});
