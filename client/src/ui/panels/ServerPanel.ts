/** bank.example: its key pair, its certificate request, what arrived. */
import type { ServerView } from '../../shared.ts';
import { h, hexPreview, Memo, mark, replaceChildren } from '../dom.ts';
import { connectionWords } from '../words.ts';
import type { PanelContext } from './context.ts';
import { keyList, packetList } from './ClientPanel.ts';

const CSR_WORDS: Record<ServerView['csr'], [boolean | 'warn' | 'info', string]> = {
  none: ['info', 'No certificate requested yet.'],
  pending: ['warn', 'Request sent: waiting for the CA.'],
  issued: [true, 'The CA signed your certificate.'],
  refused: [false, 'The CA refused your request.'],
};

export class ServerPanel {
  readonly el = h('section', { class: 'panel role-panel', 'aria-labelledby': 'role-title' });
  private memo = new Memo();
  private showSecret = false;

  constructor(private readonly ctx: PanelContext) {}

  update(v: ServerView): void {
    const data = { v: [v.connection, v.allowed, v.csr, v.keys, v.received, v.certificate, v.phase, v.caPlays, v.keyPair], p: v.packets.map((p) => [p.id, p.status]), s: this.showSecret };
    if (!this.memo.changed('all', data)) return;
    const can = (type: ServerView['allowed'][number]) => v.allowed.includes(type);
    const [csrOk, csrText] = CSR_WORDS[v.csr];
    const status = connectionWords(v.connection);
    replaceChildren(
      this.el,
      h('h2', { id: 'role-title' }, 'Server — bank.example'),
      h('p', { class: `status tone-${status.tone}`, role: 'status' }, 'Status: ', h('strong', {}, status.text)),
      v.phase === 'preparing' && v.caPlays ? h('p', {}, mark('info', 'Preparing: get your certificate from the CA now — Alice can connect only once play begins.')) : null,
      h(
        'div',
        { class: 'keypair' },
        h('h3', {}, 'Your key pair'),
        v.keyPair.inPlay ? null : h('p', { class: 'muted' }, 'Not used at this level: nothing here needs the bank’s own key.'),
        h('dl', {}, h('dt', {}, 'Public key (anyone may know it)'), h('dd', {}, hexPreview(v.keyPair.publicKey, 'public key')), h('dt', {}, `Private key (only you): ${v.keyPair.name}`), h('dd', {}, this.showSecret ? hexPreview(v.keyPair.secretKey, 'private key') : h('span', { class: 'muted' }, 'hidden'))),
        h(
          'button',
          { type: 'button', class: 'link', 'data-key': 'toggle-secret', 'aria-pressed': String(this.showSecret), onclick: () => { this.showSecret = !this.showSecret; this.update(v); } },
          this.showSecret ? 'Hide private key' : 'Show private key',
        ),
      ),
      v.caPlays
        ? h(
            'div',
            { class: 'certificate' },
            h('h3', {}, 'Certificate'),
            h('p', {}, mark(csrOk, csrText)),
            h(
              'button',
              { type: 'button', 'data-key': 'request-cert', disabled: !can('requestCertificate'), onclick: () => this.ctx.act({ type: 'requestCertificate' }) },
              v.csr === 'refused' ? 'Ask the CA again' : 'Ask the CA for a certificate (send a CSR)',
            ),
            v.certificate
              ? h('button', { type: 'button', class: 'link', 'data-key': 'cert-inspect', onclick: () => this.ctx.inspectFields('Your certificate', v.certificate!) }, 'Open your certificate in the inspector')
              : null,
          )
        : null,
      h(
        'div',
        { class: 'received' },
        h('h3', {}, 'What the bank received'),
        v.received.length ? h('ul', { 'aria-live': 'polite' }, v.received.map((r) => h('li', {}, r))) : h('p', { class: 'muted' }, 'Nothing yet.'),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'danger', 'data-key': 'abort', disabled: !can('abort'), onclick: () => this.ctx.act({ type: 'abort' }) }, 'Abort the connection'),
      ),
      keyList(v.keys, 'Session keys you hold'),
      packetList(v.packets, this.ctx, 'Packets you sent or received'),
    );
  }
}
