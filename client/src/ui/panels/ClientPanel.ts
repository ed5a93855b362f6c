/** Alice's browser: connect, judge what arrives (each certificate check with its reason), send. */
import type { ClientView } from '../../shared.ts';
import { h, hexPreview, mark, Memo, replaceChildren } from '../dom.ts';
import { STATUS_WORDS, endpointName } from '../words.ts';
import type { PanelContext } from './context.ts';
import { checkName } from './checks.ts';

export class ClientPanel {
  readonly el = h('section', { class: 'panel role-panel', 'aria-labelledby': 'role-title' });
  private memo = new Memo();

  constructor(private readonly ctx: PanelContext) {}

  update(v: ClientView): void {
    const data = { o: v.orderSent, s: v.status, d: v.decision, k: v.keys, r: v.response, p: v.packets.map((p) => [p.id, p.status]), phase: v.phase, secret: v.secret, t: v.transfer };
    if (!this.memo.changed('all', data)) return;
    const playing = v.phase === 'playing';
    const canAbort = playing && ['handshaking', 'awaitingDecision', 'established'].includes(v.status);
    replaceChildren(
      this.el,
      h('h2', { id: 'role-title' }, 'Client — Alice’s browser'),
      h(
        'div',
        { class: 'task' },
        h('p', {}, 'Your PIN: ', h('strong', { class: 'secret' }, v.secret)),
        h('p', {}, 'Transfer to send: ', h('strong', {}, `pay ${v.transfer.amount} to ${v.transfer.to}`)),
      ),
      h('p', { class: 'status', role: 'status' }, 'Status: ', h('strong', {}, STATUS_WORDS[v.status] ?? v.status)),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', 'data-key': 'connect', disabled: !playing || v.status !== 'idle', onclick: () => this.ctx.act({ type: 'connect' }) }, 'Connect to bank.example'),
        h('button', { type: 'button', 'data-key': 'send', disabled: !playing || v.status !== 'established' || v.orderSent, onclick: () => this.ctx.act({ type: 'sendSecret' }) }, v.orderSent ? 'PIN and transfer sent' : 'Send PIN and transfer'),
        h('button', { type: 'button', class: 'danger', 'data-key': 'abort-top', disabled: !canAbort, onclick: () => this.ctx.act({ type: 'abort' }) }, 'Abort connection'),
      ),
      v.decision ? this.decision(v) : this.certificateReceived(v),
      v.response ? h('p', { class: 'response' }, 'The bank answered: ', h('q', {}, v.response)) : null,
      keyList(v.keys, 'Keys your browser holds'),
      packetList(v.packets, this.ctx, 'Packets you sent or received'),
    );
  }

  /** Without a decision to make, the certificate that arrived can still be opened and read. */
  private certificateReceived(v: ClientView): HTMLElement | null {
    const cert = [...v.packets].reverse().find((p) => p.label === 'Certificate' && p.to === 'client');
    if (!cert) return null;
    return h(
      'div',
      { class: 'certificate-received' },
      h('h3', {}, 'The certificate that arrived'),
      h('p', {}, 'Your browser checks the issuer, the CA’s signature, the name and the dates. It asks you only when a check fails.'),
      h('button', { type: 'button', class: 'link', 'data-key': 'cert-received', onclick: () => this.ctx.inspect(cert.id) }, `Open packet #${cert.id} Certificate in the inspector`),
    );
  }

  private decision(v: ClientView): HTMLElement {
    const d = v.decision!;
    const failed = d.checks.filter((c) => !c.passed).length;
    return h(
      'div',
      { class: `decision${failed ? ' has-failures' : ''}`, role: 'group', 'aria-labelledby': 'decision-title' },
      h('h3', { id: 'decision-title' }, v.status === 'awaitingDecision' ? '⚠ Decide: trust or abort?' : 'What arrived'),
      h('p', {}, d.prompt),
      d.checks.length
        ? h(
            'ul',
            { class: 'checks', 'aria-label': 'Certificate checks' },
            d.checks.map((c) => h('li', { class: c.passed ? 'passed' : 'failed' }, mark(c.passed, `${checkName(c.check)}: `), h('span', {}, c.detail))),
          )
        : h('p', {}, mark('warn', 'Nothing here can be checked: no certificate, no signature.')),
      d.certificate
        ? h('button', { type: 'button', class: 'link', 'data-key': 'cert-inspect', onclick: () => this.ctx.inspectFields('Certificate', d.certificate!) }, 'Open the certificate in the inspector')
        : null,
      v.status === 'awaitingDecision'
        ? h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', 'data-key': 'trust', onclick: () => this.ctx.act({ type: 'trust' }) }, failed ? `Trust anyway (${failed} failed)` : 'Trust and continue'),
            h('button', { type: 'button', class: 'danger', 'data-key': 'abort', onclick: () => this.ctx.act({ type: 'abort' }) }, 'Abort'),
          )
        : null,
    );
  }
}

export function keyList(keys: Record<string, string>, title: string): HTMLElement {
  const entries = Object.entries(keys);
  return h(
    'div',
    { class: 'keys' },
    h('h3', {}, title),
    entries.length
      ? h('dl', {}, entries.flatMap(([name, hex]) => [h('dt', {}, name), h('dd', {}, hexPreview(hex, name))]))
      : h('p', { class: 'muted' }, 'None yet.'),
  );
}

export function packetList(
  packets: { id: number; label: string; from: string; to: string; status: string }[],
  ctx: PanelContext,
  title: string,
): HTMLElement {
  return h(
    'div',
    { class: 'packets' },
    h('h3', {}, title),
    packets.length
      ? h(
          'ul',
          { class: 'packet-list', 'data-scroll': 'packets' },
          packets.map((p) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: 'link', 'data-key': `inspect-${p.id}`, onclick: () => ctx.inspect(p.id) },
                `#${p.id} ${p.label}`,
              ),
              ` ${endpointName(p.from as never)} → ${endpointName(p.to as never)} · ${p.status}`,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'None yet.'),
  );
}
