/**
 * The host switches an event on for a level (configure's `event`): checked from the network like
 * every other payload, refused in words at a level that cannot have it, and played — the room's
 * state says which event is on, and the round ends as the event teaches.
 * GameSession on a drivable clock, no sockets.
 */
import { describe, expect, it } from 'vitest';
import { seededRng, type GameServerMessages } from '@heist/shared';
import { GameSession } from '../../server/src/game/session.ts';
import { GameState } from '../../server/src/schema/GameState.ts';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';
import { DEFAULT_TIMING } from '../../server/src/config.ts';
import { gameMessageChecks } from '../../server/src/validation/messages.ts';
import { FAST_TIMING } from './helpers.ts';

function room() {
  const scheduler = new ManualScheduler();
  const sent: { to: string; type: keyof GameServerMessages; payload: unknown }[] = [];
  const state = new GameState().assign({ code: 'EVENT' });
  const session = new GameSession(state, seededRng('events'), { ...DEFAULT_TIMING, ...FAST_TIMING }, scheduler, {
    send: (to, type, payload) => sent.push({ to, type, payload }),
    disconnect: () => undefined,
    roundOver: () => undefined,
    log: () => undefined,
  });
  session.addMember('host', { nickname: 'Host', host: true, key: 'host-device-key-00' });
  return { scheduler, session, state };
}

describe('configure with an event', () => {
  it('the payload check takes the events, or none, and says what an event can be otherwise', () => {
    expect(gameMessageChecks.configure({ level: 4, bots: {}, event: 'lookalikeDomain' })).toEqual({ ok: true, value: { level: 4, bots: {}, event: 'lookalikeDomain' } });
    expect(gameMessageChecks.configure({ level: 4, bots: {} })).toEqual({ ok: true, value: { level: 4, bots: {} } });
    for (const event of ['solarFlare', 42, null, { $gt: '' }]) {
      expect(gameMessageChecks.configure({ level: 4, bots: {}, event })).toEqual({
        ok: false,
        error: { code: 'invalid', type: 'configure', message: 'event can be: lookalikeDomain, expiredCertificate, rogueRoot, encryptionWithoutIntegrity, harvestNowDecryptLater, versionDowngrade, earlyDataReplay, hstsFirstVisit, hstsReturningVisit, hstsSubdomain, certificateTransparency, leakedKeyRevocation (or left out: none).' },
      });
    }
  });

  it('a level without certificates cannot have either event: refused in words, nothing changes', () => {
    const { session, state } = room();
    expect(session.configure('host', 3, {}, 'expiredCertificate')).toEqual({
      code: 'invalid',
      type: 'configure',
      message: '“An expired certificate” needs certificates: it can be switched on at levels 4, 4e, 5, 6.',
    });
    expect(state.level).toBe(1);
    expect(state.event).toBe('');
  });

  it('encryption without integrity belongs to level 2: refused at level 4 in words; at level 2 the tamper bot’s flip is paid — Tampered', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 4, {}, 'encryptionWithoutIntegrity')).toEqual({
      code: 'invalid',
      type: 'configure',
      message: '“Encryption without integrity” changes level 2’s one key: it can be switched on at level 2.',
    });
    expect(state.event).toBe('');
    expect(session.configure('host', 2, { attacker: 'tamper' }, 'encryptionWithoutIntegrity')).toBeNull();
    expect(state.event).toBe('encryptionWithoutIntegrity');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('tampered');
    expect(state.lastSummary).toMatch(/^Tampered: Mallory flipped bits in Alice's encrypted order without the key, and the bank decrypted it to "pay 960 to (Bob|Carol|Dave|Erin)" and paid/);
  });

  it('harvest now, decrypt later belongs to level 5: refused at level 4e in words; at level 5 a careless Alice’s recorded round opens years later — Eavesdropped', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 6, {}, 'harvestNowDecryptLater')).toEqual({
      code: 'invalid',
      type: 'configure',
      message: '“Harvest now, decrypt later” needs TLS 1.3’s key shares: it can be switched on at level 5.',
    });
    expect(state.event).toBe('');
    expect(session.configure('host', 5, { client: 'careless', attacker: 'passive' }, 'harvestNowDecryptLater')).toBeNull();
    expect(state.event).toBe('harvestNowDecryptLater');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('eavesdropped');
    expect(state.lastSummary).toMatch(/^Eavesdropped: every check passed today, but Alice’s old browser made the keys with X25519 alone, and Mallory kept her recording\. Years later a quantum computer breaks X25519/);
  });

  it('a downgrade to TLS 1.2 belongs to level 5: refused at level 4e in words; at level 5 the tamper bot crosses TLS 1.3 off the careful Alice’s offer, and her browser stops at the sentinel — Attack detected', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 6, {}, 'versionDowngrade')).toEqual({
      code: 'invalid',
      type: 'configure',
      message: '“A downgrade to TLS 1.2” needs a bank that speaks TLS 1.3: it can be switched on at level 5.',
    });
    expect(session.configure('host', 5, { client: 'careful', attacker: 'tamper' }, 'versionDowngrade')).toBeNull();
    expect(state.event).toBe('versionDowngrade');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('attackDetected');
    expect(state.lastSummary).toContain('its random ends in the downgrade sentinel 44 4F 57 4E 47 52 44 01 ("DOWNGRD")');
  });

  it('early data, replayed belongs to level 5: refused at level 4 in words; at level 5 the replay bot against a careless bank — Tampered, paid twice', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 4, {}, 'earlyDataReplay')).toEqual({
      code: 'invalid',
      type: 'configure',
      message: '“Early data, replayed” needs TLS 1.3’s session tickets: it can be switched on at level 5.',
    });
    expect(session.configure('host', 5, { server: 'careless', attacker: 'replay' }, 'earlyDataReplay')).toBeNull();
    expect(state.event).toBe('earlyDataReplay');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('tampered');
    expect(state.lastSummary).toMatch(/^Tampered: Mallory sent a copy of Alice’s first flight .* it carried out “pay 60 to Carol” 2 times/);
  });

  it('a first visit (HSTS) belongs to levels 4 and 5: refused at level 4e in words; at level 4 the strip bot against a careless Alice (no preload list) — Eavesdropped, in words naming the missing HSTS rule', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 6, {}, 'hstsFirstVisit')).toEqual({
      code: 'invalid',
      type: 'configure',
      message: '“A first visit (HSTS)” needs HTTPS with a plain http:// first step: it can be switched on at levels 4, 5.',
    });
    expect(session.configure('host', 4, { client: 'careless', attacker: 'strip' }, 'hstsFirstVisit')).toBeNull();
    expect(state.event).toBe('hstsFirstVisit');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('eavesdropped');
    expect(state.lastSummary).toMatch(/^Eavesdropped: Alice had never visited bank\.example, .* HSTS from a visit cannot protect a first visit \(RFC 6797 §14\.6\); the preload list \(§12\.3\) would have sent the browser straight to https:\/\/\.$/);
  });

  it('Certificate Transparency belongs to level 5: refused at level 4 in words; at level 5 a sloppy CA signs bank.example for the fraudulent-CSR bot — Impersonated, in words crediting the bank’s log monitor', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 4, {}, 'certificateTransparency')).toEqual({
      code: 'invalid',
      type: 'configure',
      message: '“Certificate Transparency” is played at TLS 1.3 in this game (browsers require SCTs at every version): it can be switched on at level 5.',
    });
    expect(session.configure('host', 5, { ca: 'sloppy', attacker: 'fraudulentCsr' }, 'certificateTransparency')).toBeNull();
    expect(state.event).toBe('certificateTransparency');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('impersonated');
    expect(state.lastSummary).toMatch(/^Impersonated: the CA signed a bank\.example certificate for Mallory's key .* the bank's log monitor spotted a bank\.example certificate it never asked for: Certificate Transparency did not stop this first attack, it made the mis-issuance visible — the bank would now ask the CA to revoke it\.$/);
  });

  it('a leaked key, revoked belongs to the certified levels: refused at level 3 in words; at level 5 the fake-certificate bot against a careful Alice (hard-fail) — Attack detected, her browser refusing the revoked certificate', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 3, {}, 'leakedKeyRevocation')).toEqual({
      code: 'invalid',
      type: 'configure',
      message: '“A leaked key, revoked” needs certificates: it can be switched on at levels 4, 4e, 5, 6.',
    });
    expect(session.configure('host', 5, { client: 'careful', attacker: 'fakeCertificate' }, 'leakedKeyRevocation')).toBeNull();
    expect(state.event).toBe('leakedKeyRevocation');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('attackDetected');
    expect(state.lastSummary).toMatch(/^Attack detected: Mallory showed Alice the bank’s own certificate \(serial \d+\), whose key leaked to her\. The CA had revoked it, and Alice’s browser checked: no OCSP answer stapled, and this browser requires one \(hard-fail\): it refuses the certificate\. She went back\./);
  });

  it('level 4 with the look-alike name: the state says so, and the bots’ round ends Impersonated; configured again without it, it is off', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 4, { client: 'careful', attacker: 'none' }, 'lookalikeDomain')).toBeNull();
    expect(state.event).toBe('lookalikeDomain');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('impersonated');
    expect(state.lastSummary).toMatch(/^Impersonated: Alice followed a link to bank-examp1e\.example, not bank\.example/);
    expect(session.configure('host', 4, { client: 'careful', attacker: 'none' })).toBeNull();
    expect(state.event).toBe('');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.round === 2 && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('secure');
  });

  it('level 4e with the rogue root: the state says so; the careless bot installs the café certificate and is Impersonated, the careful one refuses and catches it', () => {
    const { scheduler, session, state } = room();
    expect(session.configure('host', 6, { client: 'careless', attacker: 'none' }, 'rogueRoot')).toBeNull();
    expect(state.event).toBe('rogueRoot');
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('impersonated');
    expect(state.lastSummary).toMatch(/^Impersonated: Alice had installed “Cafe Wi-Fi Root CA”, the café Wi-Fi’s certificate — Mallory’s own root —/);
    expect(session.configure('host', 6, { client: 'careful', attacker: 'none' }, 'rogueRoot')).toBeNull();
    expect(session.start('host')).toBeNull();
    scheduler.advanceUntil(() => state.phase === 'over' && state.round === 2 && state.lastOutcome !== '');
    expect(state.lastOutcome).toBe('attackDetected');
    expect(state.lastSummary).toMatch(/^Attack detected: Alice had refused to install “Cafe Wi-Fi Root CA”/);
  });
});
