/**
 * Something to watch or do for every seat that would wait (client/src/ui/panels/SeatTasks.ts),
 * from the seat's own view, without a browser: the client before play, the CA once it has
 * decided, the bank while Alice connects, a job each for the students sharing the attacker seat
 * — and nothing while the seat has a move to make. Views from real rounds of the engine.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, createRound, DEFAULT_CONFIG, nextEventAt, playBots, seededRng, tick, viewFor, type CaView, type ClientView, type RoleView } from '@heist/shared';
import type { LobbyInfo } from '../../client/src/bus.ts';
import { seatTasks } from '../../client/src/ui/panels/SeatTasks.ts';

const honest = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' } as const;
const round = (level: 4 | 1, humanSeats: RoleView['role'][] = ['client', 'server', 'ca', 'attacker']) =>
  createRound({ ...DEFAULT_CONFIG, level, bots: honest, latencyMs: 100, graceMs: 0, humanSeats }, seededRng(`seat-tasks-${level}`), 0);

function lobbyWith(members: [string, RoleView['role']][], me: string): LobbyInfo {
  return { members: members.map(([nickname, role]) => ({ nickname, role, host: false, connected: true, team: '' })), myNickname: me } as LobbyInfo;
}

describe('what a waiting seat can look at', () => {
  it('the client, before play: her PIN, the briefing, a guess to check once she connects', () => {
    const v = viewFor(round(4), 'client') as ClientView;
    expect(seatTasks(v, undefined)).toEqual({
      title: 'While the others prepare',
      items: [
        'Your PIN and the transfer, above: they are what Mallory is after.',
        'Open “More: how it works” in the briefing: which message will carry the bank’s certificate?',
        'Guess which of your browser’s checks would fail if Mallory showed a certificate she made herself. Connect, then compare.',
      ],
    });
  });

  it('the students sharing the attacker seat: a job each, in nickname order; one attacker alone gets none', () => {
    const v = viewFor(round(1), 'attacker');
    const lobby = lobbyWith([['Whit', 'attacker'], ['Radia', 'attacker'], ['Shafi', 'attacker'], ['Ada', 'client']], 'Shafi');
    expect(seatTasks(v, lobby)).toEqual({
      title: 'Share the work',
      lead: 'One seat, several of you: a job each (a suggestion — anyone may press any button).',
      items: [
        'Radia: at the proxy: intercept, forward, drop — you run the tools.',
        'Shafi (you): on the wire: open each new packet in the inspector and say what is readable.',
        'Whit: hunting: look for the PIN or a key in what was captured, and submit it.',
      ],
    });
    expect(seatTasks(v, lobbyWith([['Whit', 'attacker']], 'Whit'))).toBeNull();
  });

  it('the attacker seat of a hidden-attacker room without an attacker: what to look for while it watches, not the attacker’s jobs', () => {
    const quiet = createRound({ ...DEFAULT_CONFIG, level: 4, bots: honest, latencyMs: 100, graceMs: 0, humanSeats: ['attacker'], hiddenAttacker: { present: false } }, seededRng('seat-tasks-quiet'), 0);
    const lobby = lobbyWith([['Whit', 'attacker'], ['Radia', 'attacker'], ['Ada', 'client']], 'Whit');
    expect(seatTasks(viewFor(quiet, 'attacker'), lobby)).toEqual({
      title: 'While you watch',
      items: [
        'Before play: agree on your call between you — how sure do the defenders seem?',
        'Watch the parcels between Alice and the bank: which are postcards anyone could read, which locked boxes?',
        'Which of Alice’s checks would you have had to fool to get in at this level? Compare with the debrief.',
      ],
    });
  });

  it('the CA: nothing while a request waits for its decision; then what to look for', () => {
    const r = round(4, ['ca']);
    for (let i = 0; i < 20 && !(viewFor(r, 'ca') as CaView).requests.length; i++) {
      playBots(r, honest, [], ['attacker', 'server', 'client']);
      tick(r, nextEventAt(r)!);
    }
    expect(seatTasks(viewFor(r, 'ca'), undefined)).toBeNull();
    expect(applyAction(r, 'ca', { type: 'sign', csrId: 1 }, r.now)).toBeNull();
    expect(seatTasks(viewFor(r, 'ca'), undefined)?.title).toBe('Your part is done: what to look for now');
  });
});
