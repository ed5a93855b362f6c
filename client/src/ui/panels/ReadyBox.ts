/**
 * "I am ready", placed by each role panel under its own preparation (the bank's certificate
 * form, the attacker's proxy, the CA's requests), so a player reaches it after the task — on a
 * phone too, where the panel is one long column. The view says whether the seat may say so now
 * and, if not, why (a bank needs its certificate first); this only renders it.
 */
import type { RoleView } from '../../shared.ts';
import { h, mark, Memo, replaceChildren } from '../dom.ts';

export class ReadyBox {
  readonly el = h('div', { class: 'ready-box', hidden: true });
  private readonly memo = new Memo();

  constructor(private readonly sayReady: () => void) {}

  update(view: RoleView | undefined): void {
    const preparing = view?.phase === 'preparing';
    const state = preparing ? { can: view.allowed.includes('ready'), done: view.ready, why: view.unavailable.ready } : null;
    if (!this.memo.changed('ready', state)) return;
    this.el.hidden = !state;
    if (!state) return replaceChildren(this.el);
    if (state.done) return replaceChildren(this.el, h('p', { role: 'status', class: 'ready-done' }, mark(true, 'Your seat is ready: play begins when every seat is.')));
    replaceChildren(
      this.el,
      h('button', { type: 'button', class: 'primary', id: 'ready', 'data-key': 'ready', disabled: !state.can, 'aria-describedby': state.can ? undefined : 'ready-why', onclick: () => this.sayReady() }, 'I am ready'),
      state.can ? h('p', { class: 'muted' }, 'Play begins when every seat is ready.') : h('p', { class: 'tool-note', id: 'ready-why' }, mark('info', `Not yet: ${state.why ?? 'your seat cannot say so now'}.`)),
    );
  }
}
