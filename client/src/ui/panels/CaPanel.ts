/**
 * The CA: a queue of certificate signing requests. Each shows its evidence — who asks, from
 * which address, for which name and key, what the CA's own records say — and two look-ups the
 * CA may make before it decides: fetch the ACME http-01 challenge (proof of control) and the
 * name's owner record (evidence only). Then sign or refuse.
 */
import type { CaView, CsrView } from '../../shared.ts';
import { h, hexPreview, Memo, mark, replaceChildren } from '../dom.ts';
import { keyWords } from '../words.ts';
import type { PanelContext } from './context.ts';
import { revocationRequest } from './revocation.ts';

export class CaPanel {
  readonly el = h('section', { class: 'panel role-panel ca', 'aria-labelledby': 'role-title' });
  private memo = new Memo();
  /** Decided requests fold away; these the player opened again. */
  private readonly unfolded = new Set<number>();
  /** The CT event's log, which the CA hands what it signs (or, by choice, does not). */
  private ctLog?: string;

  constructor(private readonly ctx: PanelContext) {}

  update(v: CaView): void {
    if (!this.memo.changed('all', { r: v.requests, rv: v.revocation, a: v.allowed, caPlays: v.caPlays, p: v.phase, i: v.intermediate !== undefined, ct: v.ctLog?.name })) return;
    this.ctLog = v.ctLog?.name;
    const canDecide = v.allowed.includes('sign');
    const canLook = v.allowed.includes('investigate');
    const pending = v.requests.filter((r) => r.decision === 'pending').length;
    replaceChildren(
      this.el,
      h('h2', { id: 'role-title' }, `Certificate authority — ${v.name}`),
      h(
        'p',
        {},
        `You sign certificates with your private key, before play: the bank has its certificate before Alice connects, and you take no part in her connection. Every browser checks your signature offline, with your public key ${v.intermediate ? 'from your certificate (the site sends it), and that with the root’s key from its trust store' : 'from its trust store'}. Sign a name only for whoever controls it: look before you sign.`,
      ),
      v.intermediate ? this.intermediate(v.name, v.intermediate) : null,
      h('dl', {}, h('dt', {}, v.intermediate ? `Your public key (in your certificate, signed by ${v.intermediate.root})` : 'Your public key (in every trust store)'), h('dd', {}, hexPreview(v.publicKey, 'CA public key'))),
      v.caPlays ? null : h('p', {}, mark('info', 'There is no CA at this level: watch how the others fare without one.')),
      v.revocation ? revocationRequest(v.revocation, v.allowed.includes('answerRevocation'), this.ctx) : null,
      h('h3', {}, `Certificate requests (${pending} waiting)`),
      v.requests.length
        ? h('ol', { class: 'csr-queue', 'data-scroll': 'csrs' }, v.requests.map((r) => this.request(r, canDecide, canLook)))
        : h('p', { class: 'muted' }, v.caPlays ? 'No requests yet.' : 'None at this level.'),
      this.ctx.ready,
    );
  }

  /** The seat runs an intermediate CA: the root signed its certificate, and what it signs chains up to that root through it. */
  private intermediate(name: string, about: NonNullable<CaView['intermediate']>): HTMLElement {
    return h(
      'div',
      { class: 'intermediate', id: 'ca-intermediate' },
      h(
        'p',
        {},
        mark('info', `You run ${name}, an intermediate CA. ${about.root}, the root whose key is in every trust store, signed your certificate and stays offline. Every certificate you sign chains up to it through yours — which is why a site must send your certificate after its own.`),
      ),
      h('button', { type: 'button', class: 'link', 'data-key': 'ca-certificate', onclick: () => this.ctx.inspectFields(`${name}’s certificate`, about.certificate) }, 'Open your own certificate in the inspector'),
    );
  }

  private request(r: CsrView, canDecide: boolean, canLook: boolean): HTMLElement {
    const open = r.decision === 'pending';
    const title = h('h4', { id: `csr-title-${r.id}` }, `Request #${r.id}: a certificate for `, h('strong', {}, r.subject));
    if (open) return h('li', { class: `csr csr-${r.decision}`, 'aria-labelledby': `csr-title-${r.id}` }, title, ...this.body(r, canDecide, canLook));
    // Decided: folded to one line, so the next request is in view.
    return h(
      'li',
      { class: `csr csr-${r.decision}` },
      h(
        'details',
        { open: this.unfolded.has(r.id) || undefined, ontoggle: (e: Event) => (e.target instanceof HTMLDetailsElement && e.target.open ? this.unfolded.add(r.id) : this.unfolded.delete(r.id)) },
        h('summary', { 'data-key': `csr-summary-${r.id}` }, `Request #${r.id}: ${r.subject}, from ${r.requester} — `, mark(r.decision === 'signed' ? true : 'info', r.decision === 'signed' ? 'you signed it' : 'you refused it')),
        ...this.body(r, false, false),
      ),
    );
  }

  private body(r: CsrView, canDecide: boolean, canLook: boolean): (HTMLElement | null)[] {
    const open = r.decision === 'pending';
    const fetched = r.investigated.includes('http01');
    const looked = r.investigated.includes('whois');
    return [
      h(
        'dl',
        { class: 'csr-facts' },
        h('dt', {}, 'Asked from'),
        h('dd', {}, r.requester),
        h('dt', {}, 'Key to certify'),
        h('dd', {}, keyWords(r.keyType, r.keyUsage), ' ', hexPreview(r.publicKey, 'requested public key')),
        h('dt', {}, 'Challenge you issued (ACME http-01)'),
        h('dd', {}, 'publish token ', h('code', {}, `${r.challenge.token.slice(0, 12)}…`), ` at ${r.challenge.url.slice(0, r.challenge.url.length - 20)}…`),
      ),
      h(
        'div',
        { class: 'csr-evidence' },
        h('h5', {}, 'What your records say'),
        h('ul', {}, r.evidence.filter((e) => e.kind !== 'key').map((e) => h('li', {}, mark(e.notable ? 'warn' : 'info', e.detail)))),
        r.evidence.some((e) => e.kind !== 'key') ? null : h('p', { class: 'muted' }, 'Nothing else: no other request or certificate for this name, address or key.'),
      ),
      h(
        'div',
        { class: 'csr-investigate' },
        h('h5', {}, 'Look it up'),
        fetched && r.domainControl
          ? h('p', { 'data-key': `csr-http01-${r.id}` }, mark(r.domainControl.passed, `Domain-control check: ${r.domainControl.detail}`))
          : !open
            ? h('p', {}, mark('warn', 'You decided without fetching the challenge.'))
            : h(
              'button',
              { type: 'button', 'data-key': `investigate-http01-${r.id}`, disabled: !open || !canLook, onclick: () => this.ctx.act({ type: 'investigate', csrId: r.id, method: 'http01' }) },
              `Fetch the challenge from ${r.subject} (http-01)`,
            ),
        looked && r.owner
          ? h('p', { 'data-key': `csr-whois-${r.id}` }, mark('info', `Owner record: ${r.owner.detail}`))
          : !open
            ? null
            : h(
              'button',
              { type: 'button', 'data-key': `investigate-whois-${r.id}`, disabled: !open || !canLook, onclick: () => this.ctx.act({ type: 'investigate', csrId: r.id, method: 'whois' }) },
              'Look up who owns the name (WHOIS)',
            ),
        h('button', { type: 'button', class: 'link', 'data-key': `csr-fields-${r.id}`, onclick: () => this.ctx.inspectFields(`CSR #${r.id} for ${r.subject}`, r.fields) }, 'Open the request in the inspector'),
      ),
      open
        ? h(
            'div',
            { class: 'csr-decide' },
            fetched ? null : h('p', {}, mark('warn', `You have not fetched the challenge: nothing yet shows who controls ${r.subject}.`)),
            h(
              'div',
              { class: 'actions' },
              h('button', { type: 'button', 'data-key': `sign-${r.id}`, disabled: !canDecide, onclick: () => this.ctx.act({ type: 'sign', csrId: r.id }), 'aria-label': `Sign request ${r.id} for ${r.subject}` }, this.ctLog ? `✍ Sign and log it in ${this.ctLog}` : '✍ Sign'),
              // Certificate Transparency: a CA can leave a certificate out of the log — it then carries no SCT, and browsers that require one refuse it.
              this.ctLog
                ? h('button', { type: 'button', 'data-key': `sign-unlogged-${r.id}`, disabled: !canDecide, onclick: () => this.ctx.act({ type: 'sign', csrId: r.id, log: false }), 'aria-label': `Sign request ${r.id} for ${r.subject} without logging it` }, '✍ Sign, keep it out of the log')
                : null,
              h('button', { type: 'button', class: 'danger', 'data-key': `refuse-${r.id}`, disabled: !canDecide, onclick: () => this.ctx.act({ type: 'refuse', csrId: r.id }), 'aria-label': `Refuse request ${r.id} for ${r.subject}` }, '✘ Refuse'),
            ),
          )
        : null,
    ];
  }
}
