/** The CA: a queue of certificate signing requests, each with its domain-control check. */
import type { CaView, CsrView } from '../../shared.ts';
import { h, hexPreview, Memo, mark, replaceChildren } from '../dom.ts';
import type { PanelContext } from './context.ts';

export class CaPanel {
  readonly el = h('section', { class: 'panel role-panel', 'aria-labelledby': 'role-title' });
  private memo = new Memo();

  constructor(private readonly ctx: PanelContext) {}

  update(v: CaView): void {
    if (!this.memo.changed('all', { r: v.requests, a: v.allowed, caPlays: v.caPlays })) return;
    const canDecide = v.allowed.includes('sign');
    const pending = v.requests.filter((r) => r.decision === 'pending').length;
    replaceChildren(
      this.el,
      h('h2', { id: 'role-title' }, `Certificate authority — ${v.name}`),
      h(
        'p',
        {},
        'You sign certificates with your private key — before play, so the bank has its certificate before Alice connects; you take no part in her connection. Every browser checks your signature offline, with your public key, pre-installed in its trust store. Sign a name only for whoever controls it.',
      ),
      h('dl', {}, h('dt', {}, 'Your public key (in every trust store)'), h('dd', {}, hexPreview(v.publicKey, 'CA public key'))),
      v.caPlays ? null : h('p', {}, mark('info', 'There is no CA at this level: watch how the others fare without one.')),
      h('h3', {}, `Certificate requests (${pending} waiting)`),
      v.requests.length
        ? h('ol', { class: 'csr-queue', 'data-scroll': 'csrs' }, v.requests.map((r) => this.request(r, canDecide)))
        : h('p', { class: 'muted' }, 'No requests yet.'),
    );
  }

  private request(r: CsrView, canDecide: boolean): HTMLElement {
    return h(
      'li',
      { class: `csr csr-${r.decision}` },
      h('p', {}, h('strong', {}, `Request #${r.id}: `), `a certificate for `, h('strong', {}, r.subject), ` from ${r.requester}`),
      h('p', {}, 'Public key to certify: ', hexPreview(r.publicKey, 'requested public key')),
      h('p', {}, 'ACME challenge you issued: publish token ', h('code', {}, `${r.challenge.token.slice(0, 12)}…`), ` at ${r.challenge.url.slice(0, r.challenge.url.length - 20)}…`),
      h('p', {}, mark(r.domainControl.passed, `Domain-control check: ${r.domainControl.detail}`)),
      h('button', { type: 'button', class: 'link', 'data-key': `csr-fields-${r.id}`, onclick: () => this.ctx.inspectFields(`CSR #${r.id} for ${r.subject}`, r.fields) }, 'Open the request in the inspector'),
      r.decision === 'pending'
        ? h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', 'data-key': `sign-${r.id}`, disabled: !canDecide, onclick: () => this.ctx.act({ type: 'sign', csrId: r.id }), 'aria-label': `Sign request ${r.id} for ${r.subject}` }, '✍ Sign'),
            h('button', { type: 'button', class: 'danger', 'data-key': `refuse-${r.id}`, disabled: !canDecide, onclick: () => this.ctx.act({ type: 'refuse', csrId: r.id }), 'aria-label': `Refuse request ${r.id} for ${r.subject}` }, '✘ Refuse'),
          )
        : h('p', {}, mark(r.decision === 'signed' ? true : 'info', r.decision === 'signed' ? 'You signed it.' : 'You refused it.')),
    );
  }
}
