/**
 * The top of Mallory's proxy: intercept on/off, strip HTTPS, the persona her proxy presents as
 * the bank, and once the conversation is over the time left to prove what she read. A persona
 * she picks is asked for: the select shows what the round really has until the next view
 * confirms it, and says why when the round did not take it.
 */
import { SUBSTITUTE_WORDS, type AttackerAction, type AttackerView, type SubstituteMode } from '../../../shared.ts';
import { h, mark, replaceChildren } from '../../dom.ts';
import type { PanelContext } from '../context.ts';
import { STOLEN_PERSONA } from '../revocation.ts';

export class ProxyControls {
  readonly el = h('div', { class: 'proxy' });
  /** A persona she chose that the round has not confirmed yet; the select shows the real one meanwhile. */
  private asked?: SubstituteMode;
  /** Why the round did not take the persona she chose, said beside the select. */
  private personaRefused?: string;

  constructor(
    private readonly ctx: PanelContext,
    /** The panel's latest view: others' moves bring new ones while a select is open. */
    private readonly latest: () => AttackerView | undefined,
  ) {}

  /** What the drawing shows beside the view (for the panel's memo). */
  get refusal(): string | undefined {
    return this.personaRefused;
  }

  /** A new round in the same seat: no persona asked for, none refused. */
  newRound(): void {
    this.asked = undefined;
    this.personaRefused = undefined;
  }

  /** The first view after she chose a persona says whether the round took it; if not, why. */
  settle(v: AttackerView): void {
    if (this.asked === undefined) return;
    if (v.substitute !== this.asked) this.personaRefused = v.substituteProblems[this.asked] ?? v.unavailable.substitute ?? 'the round did not take it (the message at the top of the page says why)';
    this.asked = undefined;
  }

  draw(v: AttackerView): void {
    const can = (type: AttackerAction['type']) => v.allowed.includes(type);
    const choose = (e: Event) => {
      const select = e.target;
      // The latest view, not the one this select was drawn from (others' moves bring new ones).
      const now = this.latest() ?? v;
      if (!(select instanceof HTMLSelectElement)) return;
      const mode = now.substitutes.find((m) => m === select.value);
      // Until the round confirms it, the select shows what her proxy really presents.
      select.value = now.substitute;
      if (!mode || mode === now.substitute) return;
      this.asked = mode;
      this.personaRefused = undefined;
      this.ctx.act({ type: 'substitute', mode });
      this.draw(now);
    };
    // What the select cannot do now says most; then why her last choice was not taken.
    const unavailable = !can('substitute') && v.phase !== 'over' ? v.unavailable.substitute : undefined;
    const substituteNote = this.asked
      ? mark('info', `Asked for ${SUBSTITUTE_WORDS[this.asked]}…`)
      : unavailable
        ? mark('info', unavailable)
        : this.personaRefused
          ? mark(false, `Not taken: ${this.personaRefused}.`)
          : null;
    const stripNote = v.tools.includes('strip') && !v.stripping && !can('strip') && v.phase !== 'over' && v.unavailable.strip ? mark('info', v.unavailable.strip) : null;
    replaceChildren(
      this.el,
      v.closing
        ? h(
            'div',
            { class: 'closing', role: 'status' },
            h('p', {}, mark('warn', `The conversation is over. You have ${Math.max(0, Math.ceil((v.closing.endsAt - v.now) / 1000))} s to prove what you read (Time left counts them down): submit the PIN below, or say you are done.`)),
            h('button', { type: 'button', 'data-key': 'done', disabled: !can('done'), onclick: () => this.ctx.act({ type: 'done' }) }, 'I’m done'),
          )
        : null,
      h('h3', {}, 'Proxy'),
      v.phase === 'preparing' ? h('p', {}, mark('info', 'Preparing: set up your tools now — Alice can connect only once play begins.')) : null,
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', 'data-key': 'intercept', 'aria-pressed': String(v.intercept), disabled: !can('setIntercept'), onclick: () => this.ctx.act({ type: 'setIntercept', on: !v.intercept }) },
          v.intercept ? '● Intercept is ON — packets wait for you' : '○ Intercept is OFF — packets pass',
        ),
        v.tools.includes('strip')
          ? h(
              'button',
              { type: 'button', 'data-key': 'strip', 'aria-pressed': String(v.stripping), disabled: !can('strip'), onclick: () => this.ctx.act({ type: 'strip' }) },
              v.stripping ? 'Stripping: hiding the redirect to https://' : 'Strip HTTPS (hide the redirect to https://)',
            )
          : null,
      ),
      stripNote ? h('p', { class: 'tool-note', id: 'strip-note' }, stripNote) : null,
      v.tools.includes('substitute')
        ? h(
            'div',
            { class: 'persona' },
            h(
              'label',
              { for: 'substitute' },
              'Present as the bank: ',
              h(
                'select',
                { id: 'substitute', 'data-key': 'substitute', disabled: !can('substitute'), onchange: choose, 'aria-describedby': substituteNote ? 'substitute-note' : undefined },
                v.substitutes.map((m: SubstituteMode) => {
                  const problem = v.substituteProblems[m];
                  // The leaked-key event: the certificate the CA issued for bank.example is the bank's own, whose key she holds.
                  const words = v.leakedKey && m === 'issuedCertificate' ? STOLEN_PERSONA : SUBSTITUTE_WORDS[m];
                  return h('option', { value: m, selected: v.substitute === m, disabled: !!problem && v.substitute !== m }, problem ? `${words} — ${problem}` : words);
                }),
              ),
            ),
            substituteNote ? h('p', { class: 'tool-note', id: 'substitute-note', role: 'status' }, substituteNote) : null,
          )
        : null,
    );
  }
}
