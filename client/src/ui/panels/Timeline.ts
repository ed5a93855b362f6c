/** The round's timeline, newest last; each line says who did what, with an icon and a word. */
import type { TimelineEvent } from '../../shared.ts';
import { h, formatClock, Memo, replaceChildren } from '../dom.ts';
import { endpointName } from '../words.ts';

const KIND: Record<TimelineEvent['kind'], [string, string]> = {
  info: ['ℹ', 'info'],
  success: ['✔', 'success'],
  warning: ['⚠', 'warning'],
  failure: ['✘', 'failure'],
};

/** Who made a line: the role, and the student in that seat when several share it ("Mallory (Grace)"). */
export function actorName(e: TimelineEvent): string {
  const role = e.actor === 'referee' ? 'Referee' : endpointName(e.actor);
  // A student who chose the character's own name ("Alice" as the client) needs no second mention.
  return e.by && e.by.toLocaleLowerCase() !== role.toLocaleLowerCase() ? `${role} (${e.by})` : role;
}

export class Timeline {
  readonly el: HTMLElement;
  private list = h('ol', { class: 'timeline-list', 'aria-label': 'Timeline of the round', 'data-scroll': 'timeline', tabindex: 0 });
  private memo = new Memo();

  constructor(title = 'Timeline') {
    this.el = h('section', { class: 'panel timeline', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, title), h('div', { role: 'log', 'aria-live': 'polite' }, this.list));
  }

  /** `at` is game time since the round started. */
  update(events: TimelineEvent[]): void {
    if (!this.memo.changed('events', [events.length, events.at(-1)?.text, events.at(-1)?.by])) return;
    const atBottom = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 8;
    replaceChildren(
      this.list,
      events.length ? null : h('li', { class: 'muted' }, 'Nothing yet.'),
      events.map((e) => {
        const [icon, word] = KIND[e.kind];
        return h(
          'li',
          { class: `event event-${e.kind}` },
          h('span', { class: 'event-time' }, formatClock(e.at)),
          h('span', { class: 'event-kind', 'aria-hidden': 'true' }, icon),
          h('span', { class: 'sr-only' }, `${word}: `),
          h('span', { class: 'event-actor' }, actorName(e)),
          h('span', { class: 'event-text' }, e.text),
        );
      }),
    );
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
  }
}
