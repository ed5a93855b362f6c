/** The game room before a round: the code to share, the seats, the level, the briefing, start. */
import {
  ATTACKER_BEHAVIOURS,
  CA_BEHAVIOURS,
  CLIENT_BEHAVIOURS,
  SERVER_BEHAVIOURS,
  EVENT_TEXTS,
  LEVEL_EVENTS,
  LEVELS,
  parseLevel,
  type Role,
} from '../../shared.ts';
import type { LobbyInfo } from '../../bus.ts';
import { behaviourLabel, ROLE_INFO, levelName } from '../../content/levels.ts';
import type { GameConnection } from '../../net/GameConnection.ts';
import { h } from '../dom.ts';
import { briefing } from './Briefing.ts';
import { pointsTable } from '../panels/Results.ts';
import { practiceMap } from '../panels/TeachingMap.ts';

const BEHAVIOURS: Partial<Record<Role, readonly string[]>> = {
  client: CLIENT_BEHAVIOURS,
  server: SERVER_BEHAVIOURS,
  ca: CA_BEHAVIOURS,
  attacker: ATTACKER_BEHAVIOURS,
};

export function lobbyScreen(lobby: LobbyInfo, conn: GameConnection, practice: boolean): HTMLElement {
  const canSeat = !lobby.classCode && !lobby.demo;
  const levelSelect = h(
    'select',
    {
      id: 'lobby-level',
      disabled: !lobby.isHost,
      onchange: (e: Event) => {
        const level = parseLevel(Number((e.target as HTMLSelectElement).value));
        // The event stays on where the new level offers it too (the server says which levels do).
        if (level !== undefined) conn.changeSettings(lobby, { level });
      },
    },
    LEVELS.map((l) => h('option', { value: l, selected: l === lobby.level }, levelName(l))),
  );

  // The events this level offers: the host switches one on for the next rounds (or none).
  const eventSelect = h(
    'select',
    {
      id: 'lobby-event',
      onchange: (e: Event) => conn.changeSettings(lobby, { event: LEVEL_EVENTS.find((ev) => ev === (e.target as HTMLSelectElement).value) }),
    },
    h('option', { value: '', selected: !lobby.event }, 'None: the level as it is'),
    lobby.eventsOffered.map((ev) => h('option', { value: ev, selected: ev === lobby.event }, `${EVENT_TEXTS[ev].title} — ${EVENT_TEXTS[ev].teaches}`)),
  );

  const seatsSection = h(
    'section',
    { class: 'panel seats', 'aria-labelledby': 'seats-title' },
    h('h2', { id: 'seats-title' }, 'Seats'),
    h(
      'ul',
      { class: 'seat-list' },
      lobby.seats.map((seat) => {
        const mine = seat.role === lobby.mySeat;
        const options = BEHAVIOURS[seat.role];
        return h(
          'li',
          { class: `seat${mine ? ' mine' : ''}`, 'data-role': seat.role },
          h('h3', {}, `${ROLE_INFO[seat.role].name}`, h('span', { class: 'muted' }, ` — ${ROLE_INFO[seat.role].who}`)),
          seat.players.length || !(lobby.isHost && options)
            ? h(
                'p',
                {},
                seat.players.length ? `Played by ${seat.players.join(', ')}` : `Bot${seat.behaviour ? `: ${behaviourLabel(seat.role, seat.behaviour)}` : ''}`,
                mine ? h('strong', {}, ' (you)') : null,
              )
            : null,
          canSeat && !mine
            ? h('button', { type: 'button', 'data-seat': seat.role, onclick: () => conn.chooseSeat(seat.role) }, `Take the ${ROLE_INFO[seat.role].name} seat`)
            : null,
          lobby.isHost && options && seat.bot
            ? h(
                'label',
                { class: 'bot-behaviour' },
                'Bot plays: ',
                h(
                  'select',
                  {
                    'data-bot': seat.role,
                    onchange: (e: Event) => conn.changeSettings(lobby, { bots: { [seat.role]: (e.target as HTMLSelectElement).value } }),
                  },
                  options.map((b) => h('option', { value: b, selected: b === seat.behaviour }, behaviourLabel(seat.role, b))),
                ),
              )
            : null,
        );
      }),
    ),
    lobby.members.some((m) => !m.role)
      ? h('p', { class: 'muted' }, 'Watching: ', lobby.members.filter((m) => !m.role).map((m) => m.nickname).join(', '))
      : null,
  );
  const levelSection = h(
    'section',
    { class: 'panel level', 'aria-labelledby': 'level-title' },
    h('h2', { id: 'level-title' }, 'Level'),
    lobby.isHost ? h('label', { for: 'lobby-level' }, 'Level to play') : null,
    lobby.isHost ? levelSelect : h('p', {}, levelName(lobby.level)),
    lobby.isHost && lobby.eventsOffered.length > 0 ? h('label', { for: 'lobby-event' }, 'Event') : null,
    lobby.isHost && lobby.eventsOffered.length > 0 ? eventSelect : lobby.event ? h('p', {}, `Event: ${EVENT_TEXTS[lobby.event].title}`) : null,
    briefing(lobby.level, lobby.mySeat, lobby.event),
    pointsTable(),
    lobby.isHost
      ? h('button', { type: 'button', class: 'primary', id: 'start-round', onclick: () => conn.start() }, lobby.round > 0 ? 'Start the next round' : 'Start the round')
      : h('p', { role: 'status' }, lobby.classCode ? 'The round starts when the teacher says so.' : 'Waiting for the host to start the round.'),
  );

  return h(
    'main',
    { class: `lobby${practice ? ' practice' : ''}`, id: 'main' },
    h(
      'header',
      { class: 'lobby-head' },
      h('h1', {}, practice ? 'Practice round' : lobby.demo ? 'Bots at play' : 'Game room'),
      practice || lobby.demo
        ? null
        : h('p', { class: 'room-code' }, 'Room code: ', h('strong', { id: 'room-code', 'aria-label': `Room code ${lobby.code.split('').join(' ')}` }, lobby.code), h('span', { class: 'muted' }, ' — friends join with this code')),
      h('button', { type: 'button', class: 'link', id: 'leave-room', onclick: () => void conn.leaveGame() }, 'Leave the room'),
    ),
    ...(practice ? [levelSection, seatsSection, practiceMap({ level: lobby.level, ...(lobby.event ? { event: lobby.event } : {}) }, lobby.isHost, (step) => conn.changeSettings(lobby, { level: step.level, event: step.event }))] : [seatsSection, levelSection]),
  );
}
