/**
 * bank.example: its key pairs; what it asks the CA to certify (which name, which key — its
 * choice, and a wrong one fails Alice's checks) and when; what arrived.
 */
import { SEAT_LIMITS, type BankKey, type ServerView } from '../../shared.ts';
import { h, hexPreview, Memo, mark, replaceChildren } from '../dom.ts';
import { connectionWords, keyWords } from '../words.ts';
import { bankRevocationLine } from './revocation.ts';
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
  /** The name and key the player picked for the next request (nothing is picked for them). */
  private name?: string;
  private key?: BankKey;
  /**
   * The latest view. The form's handlers redraw from it, never from the view they were drawn
   * with: views arrive whenever anyone acts, and an older one would read as a new round.
   */
  private view?: ServerView;

  constructor(private readonly ctx: PanelContext) {}

  update(v: ServerView): void {
    const last = this.view;
    if (last && (v.now < last.now || (last.phase === 'over' && v.phase !== 'over'))) this.name = this.key = undefined; // a new round: choose afresh
    this.view = v;
    this.draw();
  }

  private draw(): void {
    const v = this.view;
    if (!v) return;
    const data = {
      v: [v.connection, v.allowed, v.unavailable.requestCertificate, v.unavailable.chooseChain, v.unavailable.chooseTickets, v.tickets, v.stsHeader, v.revocation, v.csr, v.keys, v.received, v.certificate, v.phase, v.caPlays, v.keyPair, v.certificateChoices, v.requested, v.holds, v.certificateRequestsLeft, v.chain],
      p: v.packets.map((p) => [p.id, p.status]),
      s: this.showSecret,
      c: [this.name, this.key],
    };
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
          { type: 'button', class: 'link', 'data-key': 'toggle-secret', 'aria-pressed': String(this.showSecret), onclick: () => { this.showSecret = !this.showSecret; this.draw(); } },
          this.showSecret ? 'Hide private key' : 'Show private key',
        ),
      ),
      v.caPlays && v.certificateChoices ? this.certificate(v, csrOk, csrText) : null,
      this.ctx.ready,
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

  /** The certificate request form: the name and the key are the bank's to choose, and nothing is chosen for it. */
  private certificate(v: ServerView, csrOk: boolean | 'warn' | 'info', csrText: string): HTMLElement {
    const choices = v.certificateChoices!;
    const can = v.allowed.includes('requestCertificate');
    const redraw = () => this.draw();
    const radio = (group: string, value: string, checked: boolean, label: (string | HTMLElement)[], pick: () => void) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: group, value, checked, disabled: !can, 'data-key': `${group}-${value}`, onchange: () => { pick(); redraw(); } }), ' ', ...label);
    const ready = this.name !== undefined && this.key !== undefined;
    const why = !can && v.phase !== 'over' ? v.unavailable.requestCertificate : undefined;
    const showForm = can || v.phase === 'preparing';
    return h(
      'div',
      { class: 'certificate' },
      h('h3', {}, 'Certificate'),
      h('p', {}, mark(csrOk, csrText)),
      v.holds
        ? h('p', { id: 'cert-holds' }, `Your certificate: for `, h('strong', {}, v.holds.subject), `, ${keyWords(v.holds.keyType, v.holds.keyUsage)}.`)
        : v.requested
          ? h('p', {}, `You asked for ${v.requested.subject}, with your ${v.requested.key === 'encryptionKey' ? 'RSA-2048' : 'ECDSA P-256'} key.`)
          : null,
      // Once play has begun and the bank cannot ask again, the choice is made: only say why, unless its certificate says it all.
      !showForm ? (why && v.csr !== 'issued' ? h('p', { class: 'tool-note' }, mark('info', why)) : null) : h(
        'form',
        { class: 'tool cert-request', 'aria-label': 'Ask the CA for a certificate', onsubmit: (e: Event) => { e.preventDefault(); if (this.name !== undefined && this.key !== undefined) this.ctx.act({ type: 'requestCertificate', subject: this.name, key: this.key }); } },
        h(
          'fieldset',
          {},
          h('legend', {}, 'For the name'),
          choices.names.map((n) => radio('cert-name', n, this.name === n, [h('code', {}, n)], () => (this.name = n))),
        ),
        h(
          'fieldset',
          {},
          h('legend', {}, 'With your key'),
          choices.keys.map((k) =>
            radio('cert-key', k.key, this.key === k.key, [keyWords(k.keyType, k.keyUsage), ' ', h('span', { class: 'muted' }, `(${k.publicKey.slice(0, 12)}…)`)], () => (this.key = k.key)),
          ),
        ),
        h('p', { class: 'muted' }, 'The level’s briefing says which key Alice’s browser will use. Choose the name she asks for: a certificate for any other name fails her name check.'),
        h('p', { class: 'budget muted' }, `${v.certificateRequestsLeft} of ${SEAT_LIMITS.certificateRequests} requests left this round${v.phase === 'preparing' ? '; you may ask again until play begins' : ''}.`),
        why ? h('p', { class: 'tool-note' }, mark('info', why)) : null,
        h(
          'button',
          { type: 'submit', 'data-key': 'request-cert', disabled: !can || !ready },
          v.csr === 'refused' || v.csr === 'issued' ? 'Ask the CA again (send a new CSR)' : 'Ask the CA for a certificate (send a CSR)',
        ),
      ),
      v.certificate
        ? h('button', { type: 'button', class: 'link', 'data-key': 'cert-inspect', onclick: () => this.ctx.inspectFields('Your certificate', v.certificate!) }, 'Open your certificate in the inspector')
        : null,
      v.chain ? this.chain(v, v.chain) : null,
      v.tickets ? this.tickets(v, v.tickets) : null,
      v.stsHeader
        ? h('p', { id: 'my-sts-header' }, 'Your HTTPS answers carry ', h('code', {}, `Strict-Transport-Security: ${v.stsHeader}`), ' — browsers that get it over HTTPS without errors keep your site HTTPS-only for max-age seconds (RFC 6797 §6.1.1).')
        : null,
      v.revocation ? bankRevocationLine(v.revocation) : null,
    );
  }

  /**
   * Where an intermediate CA signed the bank's certificate: what its server sends — both
   * certificates (fullchain.pem) or its own alone (cert.pem). Nothing is chosen for it: a
   * browser that trusts only the root needs the intermediate's to build a path to it.
   */
  private chain(v: ServerView, chain: NonNullable<ServerView['chain']>): HTMLElement {
    const can = v.allowed.includes('chooseChain');
    const cas = chain.certificates.map((c) => c.subject).join(' and ');
    const signedBy = chain.certificates.map((c) => `${c.subject} is signed by ${c.issuer}`).join('; ');
    const why = !can && v.phase !== 'over' ? v.unavailable.chooseChain : undefined;
    const option = (fullChain: boolean, file: string, words: string) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'chain', value: file, checked: chain.fullChain === fullChain, disabled: !can, 'data-key': `chain-${file}`, onchange: () => this.ctx.act({ type: 'chooseChain', fullChain }) }),
        ' ',
        h('code', {}, file),
        ` — ${words}`,
      );
    return h(
      'fieldset',
      { class: 'tool chain-choice', 'aria-describedby': 'chain-why' },
      h('legend', {}, 'What your server sends to browsers'),
      h('p', { id: 'chain-why' }, `The CA sent your certificate with ${cas}’s (${signedBy}). Browsers trust only the root: from your certificate alone they cannot reach it.`),
      option(true, 'fullchain.pem', `your certificate, then ${cas}’s`),
      option(false, 'cert.pem', 'your certificate alone'),
      chain.fullChain === undefined ? h('p', {}, mark('warn', 'Not chosen yet: until you choose, your server sends your certificate alone.')) : null,
      why ? h('p', { class: 'tool-note' }, mark('info', why)) : null,
    );
  }

  /**
   * The early-data event: Alice comes back with the session ticket your server gave her
   * yesterday, and sends her order with her first message (0-RTT). Whether your server takes a
   * ticket once or as often as it comes decides what a copy of that message does.
   */
  private tickets(v: ServerView, tickets: NonNullable<ServerView['tickets']>): HTMLElement {
    const can = v.allowed.includes('chooseTickets');
    const why = !can && v.phase !== 'over' ? v.unavailable.chooseTickets : undefined;
    const option = (singleUse: boolean, words: string) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'tickets', value: singleUse ? 'once' : 'always', checked: tickets.singleUse === singleUse, disabled: !can, 'data-key': `tickets-${singleUse ? 'once' : 'always'}`, onchange: () => this.ctx.act({ type: 'chooseTickets', singleUse }) }),
        ` ${words}`,
      );
    return h(
      'fieldset',
      { class: 'tool ticket-choice', 'aria-describedby': 'tickets-why' },
      h('legend', {}, 'Session tickets'),
      h('p', { id: 'tickets-why' }, 'Alice holds a ticket your server gave her yesterday: she will send her order with her very first message (0-RTT early data), which your server reads before the handshake is over.'),
      option(true, 'Take each ticket once (single-use tickets, RFC 8446 §8.1)'),
      option(false, 'Take a ticket as often as it comes'),
      why ? h('p', { class: 'tool-note' }, mark('info', why)) : null,
    );
  }
}
