/**
 * The teacher's map: the levels in teaching order (HTTP → one key → public key → TLS 1.2 RSA →
 * TLS 1.2 ECDHE → TLS 1.3 → chain of trust), each with one line on what it teaches and the events
 * it offers. The class setup picks the match's sequence on it (a tick per level, an event menu
 * beside it); the practice room plays a step of it at a click. The words are the shared texts'
 * (LEVEL_MAP_LINES, EVENT_TEXTS `teaches`).
 */
import { EVENT_TEXTS, EVENTS_OFFERED, LEVEL_MAP_LINES, LEVELS, levelLabel, type Level, type LevelEvent, type MatchStep } from '../../shared.ts';
import { LEVEL_INFO } from '../../content/levels.ts';
import { h, replaceChildren } from '../dom.ts';

/** "Level 6 · Chain of trust", and " + A look-alike name" with an event. */
export function stepName(step: MatchStep): string {
  return `Level ${levelLabel(step.level)} · ${LEVEL_INFO[step.level].title}${step.event ? ` + ${EVENT_TEXTS[step.event].title}` : ''}`;
}

/** One row per level, in teaching order: its label, title and line, then what `controls` puts beside it. */
function mapRows(controls: (level: Level) => (HTMLElement | null)[], current?: (level: Level) => boolean): HTMLElement {
  return h(
    'ol',
    { class: 'teaching-map' },
    LEVELS.map((level) =>
      h(
        'li',
        { class: `map-step${current?.(level) ? ' current' : ''}`, 'data-map-level': level, 'aria-current': current?.(level) ? 'step' : undefined },
        h('span', { class: 'map-label', 'aria-hidden': 'true' }, levelLabel(level)),
        h(
          'div',
          { class: 'map-body' },
          h('p', { class: 'map-title' }, h('strong', {}, `${LEVEL_INFO[level].title}`), h('span', { class: 'muted' }, ` — ${LEVEL_INFO[level].concept}`)),
          h('p', { class: 'map-teaches', id: `map-teaches-${level}` }, LEVEL_MAP_LINES[level].teaches),
        ),
        h('div', { class: 'map-controls' }, ...controls(level)),
      ),
    ),
  );
}

/** The events once, each with its line (the rows name them; a teacher reads what each teaches here). */
function eventLegend(): HTMLElement {
  const events = [...new Set(LEVELS.flatMap((l) => EVENTS_OFFERED[l]))];
  return h(
    'dl',
    { class: 'map-events' },
    events.flatMap((e) => [h('dt', {}, EVENT_TEXTS[e].title), h('dd', {}, `${EVENT_TEXTS[e].teaches} (level${levelsOffering(e).length > 1 ? 's' : ''} ${levelsOffering(e).join(', ')})`)]),
  );
}

function levelsOffering(event: LevelEvent): string[] {
  return LEVELS.filter((l) => EVENTS_OFFERED[l].includes(event)).map(levelLabel);
}

/**
 * The class setup: tick the levels to play (in the map's order), and pick an event beside a level
 * if wanted; every change sends the whole sequence. While a match runs, the map shows its
 * sequence and nothing can be changed.
 */
export function sequencePicker(sequence: readonly MatchStep[], locked: boolean, send: (steps: MatchStep[]) => void): HTMLElement {
  const chosen = new Map(sequence.map((s) => [s.level, s.event]));
  const root = h('div', { class: 'map-picker' });
  /** The sequence as the form now says it, in teaching order. */
  const read = (): MatchStep[] =>
    LEVELS.flatMap((level) => {
      const box = root.querySelector<HTMLInputElement>(`input[data-level="${level}"]`);
      if (!box?.checked) return [];
      const event = EVENTS_OFFERED[level].find((e) => e === root.querySelector<HTMLSelectElement>(`select[data-event-for="${level}"]`)?.value);
      return [event ? { level, event } : { level }];
    });
  /** A match needs one level at least: unticking the last one ticks it again, sends nothing, and says why. */
  const changed = (e?: Event) => {
    const steps = read();
    if (steps.length) return send(steps);
    const box = e?.target;
    if (box instanceof HTMLInputElement) box.checked = true;
    replaceChildren(summary, h('strong', {}, 'A match needs one level at least: '), 'tick another level, then untick this one.');
  };
  const rows = mapRows((level) => {
    const offered = EVENTS_OFFERED[level];
    const box = h('input', {
      type: 'checkbox',
      id: `map-level-${level}`,
      value: level,
      'data-level': level,
      checked: chosen.has(level),
      disabled: locked,
      'aria-describedby': `map-teaches-${level}`,
      onchange: changed,
    });
    return [
      h('label', { class: 'check map-pick', for: `map-level-${level}` }, box, ` Play level ${levelLabel(level)}`),
      offered.length
        ? h(
            'label',
            { class: 'map-event' },
            'Event: ',
            h(
              'select',
              {
                'data-event-for': level,
                'aria-label': `Event for level ${levelLabel(level)}`,
                disabled: locked,
                onchange: () => {
                  // An event picked for a level not ticked yet ticks it: the teacher meant to play it.
                  const tick = root.querySelector<HTMLInputElement>(`input[data-level="${level}"]`);
                  if (tick && !tick.checked) tick.checked = true;
                  changed();
                },
              },
              h('option', { value: '', selected: !chosen.get(level) }, 'none'),
              offered.map((e) => h('option', { value: e, selected: chosen.get(level) === e }, EVENT_TEXTS[e].title)),
            ),
          )
        : null,
    ];
  }, (level) => chosen.has(level));
  const rounds = sequence.length * 2;
  const summary = h(
    'p',
    { class: 'map-sequence', id: 'map-sequence', role: 'status' },
    h('strong', {}, `This match: ${rounds} rounds — `),
    sequence.map((s, i) => [i ? ', then ' : '', stepName(s)]).flat(),
    '.',
  );
  // While a match runs, its sequence in one line; the map folds away (the rooms need the room).
  if (locked) root.append(summary, h('details', { class: 'map-legend' }, h('summary', {}, 'The map'), rows, eventLegend()));
  else
    root.append(
      h('p', { class: 'map-hint', id: 'map-hint' }, 'Tick the levels to play, top to bottom; pick an event beside a level to add a twist. Each level is played twice, the sides swapped.'),
      rows,
      summary,
      h('details', { class: 'map-legend' }, h('summary', {}, 'What each event teaches'), eventLegend()),
    );
  return root;
}

/**
 * The practice room: the same map, the level being played marked; the host plays a level, or a
 * level with one of its events, at a click (the room's configure, as its menus do).
 */
export function practiceMap(current: MatchStep, isHost: boolean, play: (step: MatchStep) => void): HTMLElement {
  const here = (s: MatchStep) => s.level === current.level && s.event === current.event;
  return h(
    'section',
    { class: 'panel map-panel', 'aria-labelledby': 'map-title' },
    h('h2', { id: 'map-title' }, 'The map: what each level teaches'),
    mapRows(
      (level) =>
        isHost
          ? [
              h(
                'p',
                { class: 'map-actions' },
                [{ level } as MatchStep, ...EVENTS_OFFERED[level].map((event) => ({ level, event }))].map((step) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: `small${step.event ? ' map-event-button' : ''}`,
                      'data-play-level': level,
                      'data-play-event': step.event ?? '',
                      'aria-pressed': String(here(step)),
                      title: step.event ? EVENT_TEXTS[step.event].teaches : LEVEL_MAP_LINES[level].teaches,
                      onclick: () => play(step),
                    },
                    step.event ? `+ ${EVENT_TEXTS[step.event].title}` : `Play level ${levelLabel(level)}`,
                  ),
                ),
              ),
            ]
          : EVENTS_OFFERED[level].length
            ? [h('p', { class: 'muted map-offers' }, `Events: ${EVENTS_OFFERED[level].map((e) => EVENT_TEXTS[e].title).join(', ')}`)]
            : [],
      (level) => level === current.level,
    ),
    h('details', { class: 'map-legend' }, h('summary', {}, 'What each event teaches'), eventLegend()),
  );
}
