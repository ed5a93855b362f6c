/**
 * A team plays Mallory together (several students share one seat): the timeline says which
 * student did what. Bots, and what the network does by itself, name nobody.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, nextEventAt, playBots, startPlay, tick, viewFor, type AttackerView, type ClientView, type Round } from '@heist/shared';
import { honest, startRound } from './play.ts';

const others = ['ca', 'server', 'client'] as const;

function settle(round: Round): void {
  for (let i = 0; i < 20; i++) {
    playBots(round, honest, [], others);
    const at = nextEventAt(round);
    if (at === null || at > round.now) return;
    tick(round, at);
  }
}

/** Lets time run until `until` holds (bots in the other seats). */
function runUntil(round: Round, until: (v: AttackerView) => boolean): AttackerView {
  for (let i = 0; i < 200; i++) {
    settle(round);
    const v = viewFor(round, 'attacker') as AttackerView;
    if (until(v) || round.phase === 'over') return v;
    const at = nextEventAt(round);
    if (at === null) return v;
    tick(round, at);
  }
  throw new Error('never happened');
}

describe('an attacker team shares one seat', () => {
  it('names the student behind every line their moves cause: "Mallory (Grace): Intercept on"', () => {
    const round = startRound(4, 'team-timeline');
    expect(applyAction(round, 'attacker', { type: 'setIntercept', on: true }, 0, 'Grace')).toBeNull();
    startPlay(round, round.now);
    const v = runUntil(round, (view) => view.held.length > 0);
    const hello = v.held[0]!;
    expect(applyAction(round, 'attacker', { type: 'forward', packetId: hello }, round.now, 'Ada')).toBeNull();
    expect(applyAction(round, 'attacker', { type: 'drop', packetId: hello }, round.now, 'Ada')).toMatchObject({ code: 'notAllowed' });
    expect(applyAction(round, 'attacker', { type: 'setIntercept', on: false }, round.now, 'Grace')).toBeNull();
    runUntil(round, () => false);

    const lines = (viewFor(round, 'attacker') as AttackerView).timeline.filter((e) => e.actor === 'attacker');
    expect(lines.map((e) => [e.by, e.text.split(':')[0]])).toEqual([
      ['Grace', 'Intercept on'],
      ['Ada', `Forwarded packet #${hello}.`],
      ['Grace', 'Intercept off.'],
    ]);
    // The bots in the other seats name nobody; nor does the referee.
    const client = (viewFor(round, 'client') as ClientView).timeline;
    expect(client.length).toBeGreaterThan(3);
    expect(client.filter((e) => e.by !== undefined)).toEqual([]);
  });

  it('names the student who dropped, replayed or injected, and not the network that carried it', () => {
    const round = startRound(1, 'team-moves');
    startPlay(round, 0);
    applyAction(round, 'attacker', { type: 'setIntercept', on: true }, round.now, 'Grace');
    const v = runUntil(round, (view) => view.held.length > 0);
    expect(applyAction(round, 'attacker', { type: 'drop', packetId: v.held[0]! }, round.now, 'Ada')).toBeNull();
    expect(applyAction(round, 'attacker', { type: 'inject', to: 'server', hex: '00' }, round.now, 'Lin')).toBeNull();
    const named = (viewFor(round, 'attacker') as AttackerView).timeline.filter((e) => e.by).map((e) => `${e.by}: ${e.text}`);
    expect(named).toEqual([
      'Grace: Intercept on: packets stop at your tap.',
      `Ada: Dropped packet #${v.held[0]}.`,
      expect.stringMatching(/^Lin: Injected packet #\d+ toward the bank\.$/),
    ]);
  });

  it('keeps a hostile name printable and short', () => {
    const round = startRound(1, 'team-names');
    applyAction(round, 'attacker', { type: 'setIntercept', on: true }, 0, `  Ev\u0007e\u202e${'x'.repeat(100)}  `);
    applyAction(round, 'attacker', { type: 'setIntercept', on: false }, 0, '   ');
    const [first, second] = (viewFor(round, 'attacker') as AttackerView).timeline.filter((e) => e.actor === 'attacker');
    expect(first!.by).toBe(`Eve${'x'.repeat(29)}`);
    expect(second!.by).toBeUndefined();
  });
});
