/**
 * A member without a seat in a round (a watcher, the projector, a demo): what the screen shows and
 * what it hides, and, in class, who plays which role by name.
 */
import type { LobbyInfo } from '../../bus.ts';
import type { RoleView, SpectatorScope, SpectatorView } from '../../shared.ts';
import { ROLE_INFO } from '../../content/levels.ts';
import { h } from '../dom.ts';

/** Views from a server without scopes are the public kind. */
export function scopeOf(view: RoleView | SpectatorView): SpectatorScope {
  return 'role' in view ? 'public' : (view.scope ?? 'public');
}

/** A member without a seat: say plainly what this screen shows, and what it hides. */
export function watchingPanel(scope: SpectatorScope, lobby: LobbyInfo | undefined): HTMLElement {
  const everything = scope === 'everything';
  const demo = !!lobby?.demo;
  return h(
    'section',
    { class: `panel watching scope-${scope}`, 'aria-labelledby': 'watching-title', 'data-scope': scope },
    h('h2', { id: 'watching-title' }, everything ? 'Demo: you see everything, secrets included' : 'Watching: you see only what is public'),
    everything
      ? [
          h('p', {}, 'Four bots play this round by themselves. You see what no single player can: every packet’s true path — a detour through Mallory’s tap shows as one — and every line of the timeline, including each party’s secrets and keys.'),
          h('p', {}, 'A real attacker, a real bank and a real browser each see only their own part. Pick a role in a practice round to play one of them.'),
        ]
      : [
          h('p', {}, 'You have no seat in this round. You see the packets between Alice and the bank as they appear on the wire, and the timeline lines every player sees. Secrets, keys and Mallory’s hidden moves stay hidden, so this view is safe on a projector.'),
          demo || lobby?.classCode ? null : h('p', { class: 'muted' }, 'To play, take a seat in the room’s lobby before the next round.'),
        ],
    lobby?.classCode ? seatsLine(lobby) : null,
    h('p', { class: 'muted' }, 'Choose a parcel on the network, or in the list under it, to see what can be seen of it. When the round ends, its result and debrief appear at the top of the page.'),
  );
}

/** A class room on the projector: who plays which role this round, by name (a seat nobody holds is a bot's). */
export function whoPlays(lobby: LobbyInfo): [RoleView['role'], string[]][] {
  return lobby.seats.map((seat) => [seat.role, [...seat.players].sort((a, b) => a.localeCompare(b))]);
}

function seatsLine(lobby: LobbyInfo): HTMLElement {
  return h(
    'p',
    { class: 'seats-line', id: 'watch-seats' },
    whoPlays(lobby).flatMap(([role, players], i) => [i ? ' · ' : '', h('strong', {}, `${ROLE_INFO[role].name}: `), players.length ? players.join(', ') : h('span', { class: 'muted' }, 'bot')]),
  );
}
