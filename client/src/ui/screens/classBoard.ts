/**
 * What every class screen shows of the class: its status in words, the leaderboard, and the
 * live rooms (who defends, who attacks, who sits where) — the students' waiting screen, the
 * teacher's dashboard and the projector share them.
 */
import type { ClassInfo, ClassMatch, ClassTeam } from '../../bus.ts';
import { EVENT_TEXTS, levelLabel } from '../../shared.ts';
import { LEVEL_INFO } from '../../content/levels.ts';
import type { GameConnection } from '../../net/GameConnection.ts';
import { h } from '../dom.ts';
import { OUTCOME_WORDS } from '../words.ts';

export const STATUS: Record<string, string> = {
  lobby: 'Waiting for the teacher to start the match',
  playing: 'Match in progress',
  paused: 'Paused by the teacher',
  ended: 'Match over',
};

export function memberNames(team: ClassTeam, info: ClassInfo): string {
  return team.members.map((id) => info.students.find((s) => s.id === id)?.nickname ?? id).join(', ') || 'nobody';
}

function teamName(id: string, info: ClassInfo): string {
  return id ? info.teams.find((t) => t.id === id)?.name ?? id : 'bots';
}

const PHASE_WORDS: Record<string, string> = { lobby: 'waiting', playing: 'playing', over: 'over', interrupted: 'stopped by the teacher' };

/**
 * In a hidden-attacker match, whether each room has an attacker: the teacher's dashboard knows it
 * from the start of the round ('teacher'); the projector, which the class sees, only once the
 * room's round has its result ('public').
 */
export type AttackerTruth = 'teacher' | 'public';

function attackerCell(m: ClassMatch, info: ClassInfo, conn: GameConnection, truth: AttackerTruth): HTMLElement {
  const known = m.attacker === 'present' ? true : m.attacker === 'absent' ? false : truth === 'teacher' ? conn.teacherDesk.attackerIn(info.round, m.roomCode) : undefined;
  if (known === undefined) return h('td', { class: 'room-attacker muted', 'data-attacker': 'hidden', title: 'Said with the room’s result' }, h('span', { 'aria-hidden': 'true' }, '?'), h('span', { class: 'sr-only' }, 'said with the result'));
  return h('td', { class: 'room-attacker', 'data-attacker': known ? 'present' : 'absent' }, known ? '⚔ yes' : '— none');
}

export function liveRooms(info: ClassInfo, conn: GameConnection, truth: AttackerTruth = 'public'): HTMLElement {
  const watchable = new Set(conn.teacherDesk.watchableRooms);
  const hidden = info.hiddenAttacker;
  const columns = ['Room', 'Defending', 'Attacking', ...(hidden ? ['Attacker'] : []), 'Level', 'Now', 'Show'];
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'rooms-title' },
    h('h2', { id: 'rooms-title' }, 'Live rooms'),
    info.matches.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'rooms' },
            h('thead', {}, h('tr', {}, columns.map((t) => h('th', { scope: 'col' }, t)))),
            info.matches.map((m) => {
              const o = m.outcome ? OUTCOME_WORDS[m.outcome as keyof typeof OUTCOME_WORDS] : undefined;
              return h(
                'tbody',
                { class: 'room' },
                h(
                  'tr',
                  {},
                  h('td', {}, m.roomCode),
                  h('td', {}, teamName(m.defending, info)),
                  h('td', {}, teamName(m.attacking, info)),
                  hidden ? attackerCell(m, info, conn, truth) : null,
                  h('td', { class: 'room-level' }, `${levelLabel(m.level)}. ${LEVEL_INFO[m.level]?.title ?? ''}`, m.event ? h('span', { class: 'room-event', 'data-event': m.event }, ` + ${EVENT_TEXTS[m.event].title}`) : null),
                  h('td', { title: m.summary, class: 'room-now' }, o ? `${o.icon} ${o.title}` : (PHASE_WORDS[m.phase] ?? m.phase)),
                  h(
                    'td',
                    {},
                    watchable.has(m.roomCode) && m.open
                      ? h('button', { type: 'button', class: 'small', 'aria-label': `Show live: room ${m.roomCode}`, onclick: () => void conn.teacherDesk.watchRoom(m.roomCode) }, 'Show live')
                      : m.open ? null : h('span', { class: 'muted' }, 'closed'),
                  ),
                ),
                h('tr', { class: 'room-seats' }, h('td', { colspan: columns.length }, roomSeats(m, info))),
              );
            }),
          ),
        )
      : h('p', { class: 'muted' }, 'No rooms yet: they open when the match starts.'),
    hidden && truth === 'teacher' && info.matches.length
      ? h('p', { class: 'muted small-print', id: 'attacker-legend' }, 'Attacker: whether the room has one this round. Only you see it before the room’s result; the projector shows “?” until then.')
      : null,
  );
}

const SEAT_NAMES: Record<string, string> = { client: 'Client', server: 'Server', ca: 'CA', attacker: 'Attacker' };

/** Who plays which role in a room this round (a seat nobody was dealt is a bot's). */
function roomSeats(m: ClassMatch, info: ClassInfo): HTMLElement {
  const teams = new Set([m.defending, m.attacking].filter(Boolean));
  const inRoom = info.students.filter((s) => teams.has(s.teamId) && s.role);
  return h(
    'p',
    { class: 'seats-line', 'data-room': m.roomCode },
    Object.entries(SEAT_NAMES).flatMap(([role, name], i) => {
      const who = inRoom.filter((s) => s.role === role).map((s) => s.nickname);
      return [i ? ' · ' : '', h('strong', {}, `${name}: `), who.length ? who.join(', ') : h('span', { class: 'muted' }, 'bot')];
    }),
  );
}

export function leaderboard(teams: ClassTeam[], info: ClassInfo): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'leaderboard-title' },
    h('h2', { id: 'leaderboard-title' }, '★ Leaderboard'),
    teams.length
      ? h(
          'ol',
          { class: 'leaderboard' },
          teams.map((t) => h('li', {}, h('strong', {}, t.name), ` — ${t.points} points`, h('span', { class: 'muted' }, ` (${memberNames(t, info)})`))),
        )
      : h('p', { class: 'muted' }, 'Teams appear here once they are formed.'),
    teams.length
      ? h('p', { class: 'muted small-print' }, 'Only seats students played count: a seat a bot filled scores for nobody. A seat several students share counts once for their team; each of them is credited its points (the CSV’s team_points and points).')
      : null,
  );
}
