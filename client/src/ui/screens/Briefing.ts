/** A level's briefing: the concept, the handshake step by step, and this seat's goal. */
import type { Level, Role } from '../../shared.ts';
import { LEVEL_INFO, ROLE_INFO, levelName } from '../../content/levels.ts';
import { h } from '../dom.ts';

export function briefing(level: Level, role?: Role): HTMLElement {
  const info = LEVEL_INFO[level];
  return h(
    'article',
    { class: 'briefing', 'aria-labelledby': 'briefing-title' },
    h('h3', { id: 'briefing-title' }, `Briefing — ${levelName(level)}`),
    info.briefing.map((p) => h('p', {}, p)),
    h('h4', {}, 'On the wire, in order'),
    h('ol', { class: 'steps' }, info.steps.map((s) => h('li', {}, s))),
    role ? h('p', { class: 'goal' }, h('strong', {}, `Your goal as ${ROLE_INFO[role].name}: `), info.goals[role]) : null,
  );
}
