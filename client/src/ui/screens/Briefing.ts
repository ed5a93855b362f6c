/**
 * A level's briefing, from its shared level module: the concept and each role's first step in
 * under 80 words (this seat's own step first), the handshake and the depth folded under "More".
 */
import { EVENT_TEXTS, HIDDEN_ATTACKER_POINTS, HIDDEN_ATTACKER_TEXTS, OUTCOME_POINTS, ROLES, type Level, type LevelEvent, type Role } from '../../shared.ts';
import { LEVEL_TEXTS, ROLE_INFO, levelName } from '../../content/levels.ts';
import { h } from '../dom.ts';

export function briefing(level: Level, role?: Role, event?: LevelEvent, hiddenAttacker?: boolean): HTMLElement {
  const t = LEVEL_TEXTS[level];
  const order = role ? [role, ...ROLES.filter((r) => r !== role)] : ROLES;
  return h(
    'div',
    { class: 'briefings' },
    hiddenAttacker ? hiddenAttackerBriefing(order, role) : null,
    event ? eventBriefing(event, order, role) : null,
    // An event that changes the level itself (level 2's key card): the level as it is without it, folded, to compare.
    event && EVENT_TEXTS[event].changesLevel
      ? h('details', { class: 'briefing-without-event' }, h('summary', {}, `${levelName(level)} without this event`), levelBriefing(level, t, order, role))
      : levelBriefing(level, t, order, role),
  );
}

/** Each seat's first step, this seat's first and marked. */
function firstSteps(label: string, steps: Record<Role, string>, order: readonly Role[], role?: Role): HTMLElement {
  return h(
    'ul',
    { class: 'first-steps', 'aria-label': label },
    order.map((r) => h('li', { class: r === role ? 'goal' : '' }, h('strong', {}, `${ROLE_INFO[r].name}${r === role ? ' (you)' : ''}: `), steps[r])),
  );
}

/** A hidden-attacker match, above everything else: there may be no attacker; how it scores; each seat's first step. */
function hiddenAttackerBriefing(order: readonly Role[], role?: Role): HTMLElement {
  const t = HIDDEN_ATTACKER_TEXTS;
  const p = OUTCOME_POINTS;
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  return h(
    'article',
    { class: 'briefing hidden-briefing', 'aria-labelledby': 'hidden-briefing-title', id: 'hidden-briefing' },
    h('h3', { id: 'hidden-briefing-title' }, `This match: ${t.title.toLowerCase()}`),
    h('p', {}, t.briefing.summary),
    firstSteps('First steps in a hidden-attacker match', t.briefing.firstSteps, order, role),
    h(
      'details',
      { class: 'briefing-more' },
      h('summary', {}, 'More: why, and the points'),
      t.briefing.more.map((m) => h('p', {}, m)),
      h(
        'p',
        { id: 'hidden-points' },
        `Points for Alice and the bank: an honest session completed ${signed(p.secure.client)}, an attack stopped ${signed(p.attackDetected.client)}, a clean session aborted ${signed(p.falseAlarm.client)} (a false alarm). `,
        `The attacker scores as in any round when nobody notices her, and ${signed(HIDDEN_ATTACKER_POINTS.attackDetected)} when her attack is detected. `,
        `A team with no attack in its room: ${signed(HIDDEN_ATTACKER_POINTS.rightCall)} for a right call.`,
      ),
    ),
  );
}

/** The event switched on for this round, above the level's briefing: what happened, each seat's first step, more. */
function eventBriefing(event: LevelEvent, order: readonly Role[], role?: Role): HTMLElement {
  const t = EVENT_TEXTS[event];
  return h(
    'article',
    { class: 'briefing event-briefing', 'aria-labelledby': 'event-briefing-title', 'data-event': event },
    h('h3', { id: 'event-briefing-title' }, `This round: ${t.title}`),
    h('p', {}, t.briefing.summary),
    firstSteps('First steps with this event', t.briefing.firstSteps, order, role),
    h('details', { class: 'briefing-more' }, h('summary', {}, 'More about this event'), t.briefing.more.map((p) => h('p', {}, p))),
  );
}

function levelBriefing(level: Level, t: (typeof LEVEL_TEXTS)[Level], order: readonly Role[], role?: Role): HTMLElement {
  return h(
    'article',
    { class: 'briefing', 'aria-labelledby': 'briefing-title' },
    h('h3', { id: 'briefing-title' }, `Briefing — ${levelName(level)}`),
    h('p', {}, t.briefing.summary),
    firstSteps('First steps', t.briefing.firstSteps, order, role),
    h(
      'details',
      { class: 'briefing-more' },
      h('summary', {}, 'More: how it works'),
      h('h4', {}, 'On the wire, in order'),
      h('ol', { class: 'steps' }, t.steps.map((s) => h('li', {}, s))),
      t.briefing.more.map((p) => h('p', {}, p)),
    ),
  );
}
