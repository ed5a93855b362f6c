/** A student in a class between rounds: who she is, her team, what comes next, the leaderboard. */
import type { ClassInfo } from '../../bus.ts';
import type { GameConnection } from '../../net/GameConnection.ts';
import { h } from '../dom.ts';
import { leaderboard, STATUS } from './classBoard.ts';
import { upNext } from './upNext.ts';

export function studentWaitingScreen(info: ClassInfo, conn: GameConnection): HTMLElement {
  const me = info.students.find((s) => s.id === info.me);
  const team = info.teams.find((t) => t.id === me?.teamId);
  return h(
    'main',
    { class: 'class-wait', id: 'main' },
    h('h1', {}, `Class ${info.code}`),
    h('p', { class: 'lead', role: 'status' }, STATUS[info.status] ?? info.status),
    h('p', {}, 'You are ', h('strong', {}, me?.nickname ?? '…'), team ? [' in team ', h('strong', { id: 'my-team' }, team.name)] : ' (no team yet)', '.'),
    conn.isSuperseded
      ? h(
          'div',
          { class: 'up-next', role: 'status', id: 'superseded' },
          h('p', {}, h('strong', {}, 'You are playing in another tab or window.'), ' This one waits, so the two do not take your seat from each other.'),
          h('button', { type: 'button', class: 'primary', onclick: () => void conn.playHere() }, 'Play in this tab instead'),
        )
      : (upNext(info) ??
          (info.status === 'playing' && me && !me.role && me.teamId
            ? h('p', { class: 'up-next', role: 'status', id: 'sitting-out' }, h('strong', {}, 'This round is under way without you. '), 'You are dealt a seat in the next one.')
            : h('p', { class: 'muted' }, 'When the teacher starts a round you are taken to your room and your role. Roles swap every round, so you play every side.'))),
    leaderboard(info.teams, info),
    h('button', { type: 'button', class: 'link', onclick: () => void conn.leaveAll() }, 'Leave the class'),
  );
}
