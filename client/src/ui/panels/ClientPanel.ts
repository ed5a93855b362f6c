/**
 * Alice's browser: connect, see every check the browser ran (passed or failed, with its reason),
 * decide to trust or abort when a check fails (or, at level 3, whether to use a bare key), send.
 * The verdicts and the legal buttons come from the view; this panel only renders them.
 */
import { LEVEL_TEXTS, type ClientDecision, type ClientView } from '../../shared.ts';
import { h, hexPreview, mark, Memo, padlockIcon, replaceChildren } from '../dom.ts';
import { STATUS_WORDS, connectionWords, endpointName } from '../words.ts';
import { browserLine, firstVisitLines, keySharesLine, returningVisitLines, ticketLine, tls12Line, transparencyLine } from './browserFacts.ts';
import { revocationPolicyLine } from './revocation.ts';
import type { PanelContext } from './context.ts';
import { checkName } from './checks.ts';

export class ClientPanel {
  readonly el = h('section', { class: 'panel role-panel', 'aria-labelledby': 'role-title' });
  private memo = new Memo();

  constructor(private readonly ctx: PanelContext) {}

  update(v: ClientView): void {
    const data = { tg: v.target, pt: v.portal?.answer, b: v.browser, o: v.orderSent, c: v.connection, a: v.allowed, ch: v.checks, d: v.decision, k: v.keys, r: v.response, p: v.packets.map((p) => [p.id, p.status]), phase: v.phase, secret: v.secret, t: v.transfer, l: v.level };
    if (!this.memo.changed('all', data)) return;
    const can = (type: ClientView['allowed'][number]) => v.allowed.includes(type);
    const status = connectionWords(v.connection);
    replaceChildren(
      this.el,
      h('h2', { id: 'role-title' }, 'Client — Alice’s browser'),
      h(
        'div',
        { class: 'task' },
        h('p', {}, 'Your PIN: ', h('strong', { class: 'secret' }, v.secret)),
        h('p', {}, 'Transfer to send: ', h('strong', {}, `pay ${v.transfer.amount} to ${v.transfer.to}`)),
        // The name her browser asks for: the one thing every check is measured against.
        h('p', { class: 'address-bar' }, 'Address bar: ', h('strong', { id: 'client-target' }, v.target), v.event === 'lookalikeDomain' ? h('span', { class: 'muted' }, ' (from a link in a message)') : null),
        v.browser?.firstVisit ? firstVisitLines(v.browser.firstVisit) : v.browser?.returningVisit ? returningVisitLines(v.browser.returningVisit) : v.browser ? browserLine(v.browser.hsts, v.target) : null,
        v.browser?.keyShares ? keySharesLine(v.browser.keyShares) : null,
        v.browser?.tls12 ? tls12Line(v.browser.tls12) : null,
        v.browser?.transparency ? transparencyLine(v.browser.transparency) : null,
        v.browser?.revocation ? revocationPolicyLine(v.browser.revocation) : null,
        v.browser?.resumes ? ticketLine() : null,
      ),
      v.portal ? this.portal(v.portal, can('answerPortal')) : null,
      this.ctx.ready,
      h('p', { class: `status tone-${status.tone}`, role: 'status' }, 'Status: ', h('strong', {}, status.text)),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', 'data-key': 'connect', disabled: !can('connect'), onclick: () => this.ctx.act({ type: 'connect' }) }, `Connect to ${v.target}`),
        h('button', { type: 'button', 'data-key': 'send', disabled: !can('sendSecret'), onclick: () => this.ctx.act({ type: 'sendSecret' }) }, v.orderSent ? 'PIN and transfer sent' : 'Send PIN and transfer'),
        h('button', { type: 'button', class: 'danger', 'data-key': 'abort-top', disabled: !can('abort'), onclick: () => this.ctx.act({ type: 'abort' }) }, 'Abort connection'),
      ),
      v.decision && (can('trust') || can('abort')) ? this.decision(v.decision, can('trust') ? undefined : v.unavailable.trust) : null,
      this.checkList(v),
      v.response ? h('p', { class: 'response' }, 'The bank answered: ', h('q', {}, v.response)) : null,
      keyList(v.keys, 'Keys your browser holds'),
      packetList(v.packets, this.ctx, 'Packets you sent or received'),
    );
  }

  /**
   * The certificate inspector's list: every check the browser ran, passed or failed, with its
   * reason. When they all pass the browser goes on by itself (a real browser shows its padlock).
   */
  private checkList(v: ClientView): HTMLElement {
    const checks = v.checks ?? [];
    const cert = [...v.packets].reverse().find((p) => p.label === 'Certificate' && p.to === 'client');
    const certificate = v.decision?.kind === 'certificate' ? v.decision.certificate : undefined;
    return h(
      'div',
      { class: 'browser-checks', role: 'group', 'aria-labelledby': 'checks-title' },
      h('h3', { id: 'checks-title' }, 'Checks your browser ran'),
      checks.length
        ? h(
            'ul',
            { class: 'checks', 'aria-label': 'Checks your browser ran', 'data-scroll': 'checks' },
            checks.map((c) =>
              c.blockedBy
                ? h('li', { class: 'not-run' }, mark('info', `Not run: ${checkName(c.check)}: `), h('span', {}, c.detail))
                : h('li', { class: c.passed ? 'passed' : 'failed' }, mark(c.passed, `${checkName(c.check)}: `), h('span', {}, c.detail)),
            ),
          )
        : h('p', { class: 'muted' }, LEVEL_TEXTS[v.level].noChecksYet),
      verdict(v),
      certificate
        ? h('button', { type: 'button', class: 'link', 'data-key': 'cert-inspect', onclick: () => this.ctx.inspectFields('Certificate', certificate) }, 'Open the certificate in the inspector')
        : cert
          ? h('button', { type: 'button', class: 'link', 'data-key': 'cert-received', onclick: () => this.ctx.inspect(cert.id) }, `Open packet #${cert.id} Certificate in the inspector`)
          : null,
    );
  }

  /**
   * The rogue-root event: the café Wi-Fi's page stands between Alice and the Wi-Fi until she
   * installs its certificate or refuses it. The prompt says what a phone's or a browser's would:
   * what a root in the trust store can do. Once answered, one line says what her store holds.
   */
  private portal(portal: NonNullable<ClientView['portal']>, open: boolean): HTMLElement {
    const inspect = h('button', { type: 'button', class: 'link', 'data-key': 'portal-inspect', onclick: () => this.ctx.inspectFields(`Certificate ${portal.root}`, portal.certificate) }, 'Open it in the inspector');
    if (portal.answer) {
      return h(
        'p',
        { class: 'portal-answer', id: 'portal-answer' },
        portal.answer === 'installed'
          ? mark('warn', `You installed the café certificate: “${portal.root}” is in your trust store, beside the roots your browser came with. `)
          : mark(true, `You refused the café certificate: your trust store holds only the roots your browser came with. `),
        inspect,
      );
    }
    return h(
      'div',
      { class: 'decision portal', role: 'group', 'aria-labelledby': 'portal-title' },
      h('h3', { id: 'portal-title' }, '☕ Café Wi-Fi: before you can browse'),
      h('p', {}, h('q', {}, 'Welcome! To use our free Wi-Fi, please install the café certificate.')),
      h('p', {}, 'The certificate: ', h('strong', {}, portal.root), ', signed by itself: a root CA certificate (cA TRUE), allowed to sign certificates. ', inspect),
      h('p', {}, mark('warn', 'Installing it puts it in your browser’s trust store, beside the real roots: whoever holds its private key can then sign a certificate for any site — bank.example too — and your browser will trust it. (Phones say: “Network may be monitored”.)')),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', 'data-key': 'portal-install', disabled: !open, onclick: () => this.ctx.act({ type: 'answerPortal', install: true }) }, 'Install the café certificate'),
        h('button', { type: 'button', class: 'danger', 'data-key': 'portal-refuse', disabled: !open, onclick: () => this.ctx.act({ type: 'answerPortal', install: false }) }, 'Refuse'),
      ),
    );
  }

  /**
   * Only when a check failed, or (level 3) when a bare key arrived: the player decides — unless
   * the browser offers no way through (`noWayThrough`, the engine's reason: an HSTS host).
   */
  private decision(d: ClientDecision, noWayThrough?: string): HTMLElement {
    const failed = d.checks.filter((c) => !c.passed && !c.blockedBy);
    const actions = (trust: string) =>
      h(
        'div',
        { class: 'actions' },
        noWayThrough ? h('p', {}, mark('info', noWayThrough)) : h('button', { type: 'button', 'data-key': 'trust', onclick: () => this.ctx.act({ type: 'trust' }) }, trust),
        h('button', { type: 'button', class: 'danger', 'data-key': 'abort', onclick: () => this.ctx.act({ type: 'abort' }) }, noWayThrough ? 'Go back' : 'Abort'),
      );
    if (d.kind === 'bareKey') {
      return h(
        'div',
        { class: 'decision has-failures', role: 'group', 'aria-labelledby': 'decision-title' },
        h('h3', { id: 'decision-title' }, '⚠ Decide: use this key, or abort?'),
        h('p', {}, d.prompt),
        h('p', {}, 'Fingerprint: ', h('code', { class: 'fingerprint' }, d.fingerprint)),
        h('p', {}, mark('warn', 'Nothing here can be checked: no certificate, no signature. Anyone on the way could have sent this key.')),
        actions('Use this key'),
      );
    }
    return h(
      'div',
      { class: `decision${failed.length ? ' has-failures' : ''}`, role: 'group', 'aria-labelledby': 'decision-title' },
      h('h3', { id: 'decision-title' }, noWayThrough ? '⚠ No way through: go back' : '⚠ Decide: trust or abort?'),
      h('p', {}, d.prompt),
      h(
        'ul',
        { class: 'checks', 'aria-label': 'Failed checks' },
        failed.map((c) => h('li', { class: 'failed' }, mark(false, `${checkName(c.check)}: `), h('span', {}, c.detail))),
      ),
      actions(failed.length ? `Trust anyway (${failed.length} failed)` : 'Trust and continue'),
    );
  }
}

/** One line under the list: what the browser's connection is, in words (never colour alone). */
function verdict(v: ClientView): HTMLElement | null {
  const c = v.connection;
  switch (c.kind) {
    case 'secure':
      return h(
        'p',
        { class: 'padlock', id: 'padlock' },
        padlockIcon(false),
        ' ',
        h('strong', {}, `All ${v.checks.filter((x) => x.passed).length} checks passed: your browser went on by itself`),
        ` — a real browser shows its padlock here. It means the other end holds the private key of a certificate for ${v.target} that a CA you trust signed; not that the site is honest.`,
      );
    case 'unverified':
      return h('p', { class: 'no-padlock' }, mark(false, `You went on although ${c.failed.length} check${c.failed.length > 1 ? 's' : ''} failed: no padlock. The other end holds the key of the certificate you accepted — whoever that is, nothing says it is the bank.`));
    case 'plainHttp':
      return h('p', { class: 'no-padlock' }, mark('warn', 'Plain http://: no padlock. Anyone on the way can read and change this page and what you send.'));
    case 'keyInTheClear':
      return h('p', { class: 'no-padlock' }, mark('warn', 'Encrypted, but the key crossed the wire in the clear: no padlock.'));
    case 'noIntegrity':
      return h('p', { class: 'no-padlock' }, mark('warn', 'Encrypted with the key you and the bank agreed in advance — nobody else can read it. But nothing checks the records (no tag): no padlock.'));
    case 'unauthenticatedKey':
      return h('p', { class: 'no-padlock' }, mark('warn', 'Encrypted, but nothing proved whose key that was: no padlock.'));
    case 'closed':
      return h('p', { class: 'no-padlock' }, mark(false, c.byUs && c.detection ? `A check failed: your browser closed the connection (${c.detail}).` : `The connection was closed: ${c.detail}.`));
    case 'none':
    case 'handshaking':
    case 'awaitingDecision':
    case 'protected':
      return null;
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
  packets: { id: number; label: string; from: Parameters<typeof endpointName>[0]; to: Parameters<typeof endpointName>[0]; status: keyof typeof STATUS_WORDS }[],
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
              ` ${endpointName(p.from)} → ${endpointName(p.to)} · ${STATUS_WORDS[p.status]}`,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'None yet.'),
  );
}
