/**
 * The attacker seat in a hidden-attacker match, in a room with no attacker this round: off the
 * café Wi-Fi, no tools. While the round prepares the team calls what the defenders will do (its
 * Ready); then it watches the conversation as the projector shows it, to see whether it called
 * right (the seat's tasks give each student something to look for meanwhile).
 */
import { CALLS, HIDDEN_ATTACKER_POINTS, HIDDEN_ATTACKER_TEXTS, type AttackerView, type Call } from '../../shared.ts';
import { h, mark, Memo, replaceChildren } from '../dom.ts';
import type { PanelContext } from './context.ts';

export class SittingOutPanel {
  readonly el: HTMLElement;
  private readonly memo = new Memo();
  private readonly body = h('div', { class: 'sitting-out-body' });

  constructor(private readonly ctx: PanelContext) {
    const t = HIDDEN_ATTACKER_TEXTS.sittingOut;
    this.el = h(
      'section',
      { class: 'panel role-panel attacker sitting-out', 'aria-labelledby': 'role-title', 'data-sitting-out': '' },
      h('h2', { id: 'role-title' }, `Attacker — ${t.title.toLowerCase()}`),
      h('p', {}, t.text),
      this.body,
    );
  }

  update(v: AttackerView): void {
    const call = v.sittingOut?.call;
    const canCall = v.allowed.includes('call');
    if (!this.memo.changed('call', [call, canCall, v.phase, v.unavailable.call])) return;
    const words = HIDDEN_ATTACKER_TEXTS.sittingOut.calls;
    if (call) return replaceChildren(this.body, h('p', { role: 'status', id: 'my-call', 'data-call': call }, mark(true, `Your call: ${words[call].toLowerCase()}.`), ' ', callStakes()));
    if (canCall)
      return replaceChildren(
        this.body,
        h(
          'div',
          { class: 'calls', role: 'group', 'aria-labelledby': 'calls-title' },
          h('h3', { id: 'calls-title' }, 'Your call'),
          h('p', { class: 'muted' }, callStakes(), ' It is also your Ready: play begins when every seat is ready.'),
          CALLS.map((c: Call) => h('button', { type: 'button', class: 'primary', 'data-key': `call-${c}`, id: `call-${c}`, onclick: () => this.ctx.act({ type: 'call', verdict: c }) }, words[c])),
        ),
      );
    replaceChildren(this.body, h('p', { class: 'muted', id: 'my-call' }, v.phase === 'preparing' ? 'Your seat is ready.' : `No call: ${v.unavailable.call ?? 'calls are made before play begins'}.`));
  }
}

function callStakes(): string {
  return `A right call scores ${HIDDEN_ATTACKER_POINTS.rightCall}, a wrong one ${HIDDEN_ATTACKER_POINTS.wrongCall}.`;
}
