/**
 * Alice's browser: connect, see every check the browser ran (passed or failed, with its reason),
 * decide to trust or abort when a check fails, send.
 */
import type { CheckResult, ClientView } from '../../shared.ts';
import { h, hexPreview, mark, Memo, padlockIcon, replaceChildren } from '../dom.ts';
import { statusWords, endpointName } from '../words.ts';
import type { PanelContext } from './context.ts';
import { checkName } from './checks.ts';

export class ClientPanel {
  readonly el = h('section', { class: 'panel role-panel', 'aria-labelledby': 'role-title' });
  private memo = new Memo();

  constructor(private readonly ctx: PanelContext) {}

  update(v: ClientView): void {
    const data = { o: v.orderSent, s: v.status, c: v.checks, d: v.decision, k: v.keys, r: v.response, p: v.packets.map((p) => [p.id, p.status]), phase: v.phase, secret: v.secret, t: v.transfer, l: v.level };
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
      h('p', { class: 'status', role: 'status' }, 'Status: ', h('strong', {}, statusWords(v.status, v.level))),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', 'data-key': 'connect', disabled: !playing || v.status !== 'idle', onclick: () => this.ctx.act({ type: 'connect' }) }, 'Connect to bank.example'),
        h('button', { type: 'button', 'data-key': 'send', disabled: !playing || v.status !== 'established' || v.orderSent, onclick: () => this.ctx.act({ type: 'sendSecret' }) }, v.orderSent ? 'PIN and transfer sent' : 'Send PIN and transfer'),
        h('button', { type: 'button', class: 'danger', 'data-key': 'abort-top', disabled: !canAbort, onclick: () => this.ctx.act({ type: 'abort' }) }, 'Abort connection'),
      ),
      v.decision && v.status === 'awaitingDecision' ? this.decision(v) : null,
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
    const failed = checks.filter((c) => !c.passed).length;
    const cert = [...v.packets].reverse().find((p) => p.label === 'Certificate' && p.to === 'client');
    const certificate = v.decision?.certificate;
    return h(
      'div',
      { class: 'browser-checks', role: 'group', 'aria-labelledby': 'checks-title' },
      h('h3', { id: 'checks-title' }, 'Checks your browser ran'),
      checks.length
        ? h(
            'ul',
            { class: 'checks', 'aria-label': 'Checks your browser ran', 'data-scroll': 'checks' },
            checks.map((c) => h('li', { class: c.passed ? 'passed' : 'failed' }, mark(c.passed, `${checkName(c.check)}: `), h('span', {}, c.detail))),
          )
        : h('p', { class: 'muted' }, noChecksYet(v)),
      verdict(v, checks, failed),
      certificate
        ? h('button', { type: 'button', class: 'link', 'data-key': 'cert-inspect', onclick: () => this.ctx.inspectFields('Certificate', certificate) }, 'Open the certificate in the inspector')
        : cert
          ? h('button', { type: 'button', class: 'link', 'data-key': 'cert-received', onclick: () => this.ctx.inspect(cert.id) }, `Open packet #${cert.id} Certificate in the inspector`)
          : null,
    );
  }

  /** Only when a check failed (or, at level 3, nothing could be checked): the player decides. */
  private decision(v: ClientView): HTMLElement {
    const d = v.decision!;
    const failed = d.checks.filter((c) => !c.passed);
    return h(
      'div',
      { class: `decision${failed.length || !d.checks.length ? ' has-failures' : ''}`, role: 'group', 'aria-labelledby': 'decision-title' },
      h('h3', { id: 'decision-title' }, '⚠ Decide: trust or abort?'),
      h('p', {}, d.prompt),
      failed.length
        ? h(
            'ul',
            { class: 'checks', 'aria-label': 'Failed checks' },
            failed.map((c) => h('li', { class: 'failed' }, mark(false, `${checkName(c.check)}: `), h('span', {}, c.detail))),
          )
        : d.checks.length
          ? null
          : h('p', {}, mark('warn', 'Nothing here can be checked: no certificate, no signature. Anyone could have sent this key.')),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', 'data-key': 'trust', onclick: () => this.ctx.act({ type: 'trust' }) }, failed.length ? `Trust anyway (${failed.length} failed)` : 'Trust and continue'),
        h('button', { type: 'button', class: 'danger', 'data-key': 'abort', onclick: () => this.ctx.act({ type: 'abort' }) }, 'Abort'),
      ),
    );
  }
}

function noChecksYet(v: ClientView): string {
  if (v.level === 1) return 'None: plain HTTP has nothing to check — no key, no signature, no tag.';
  if (v.level === 2) return 'None yet: each encrypted record’s AES-GCM tag is checked as it arrives. Nothing checks who received the key.';
  if (v.level === 3) return 'None yet: a bare public key carries nothing to check — no certificate, no signature. Each record’s AES-GCM tag is checked as it arrives.';
  if (v.status === 'idle') return 'None yet: they run as the handshake arrives.';
  return 'None yet.';
}

/** One line under the list: what the browser did with it, in words (never colour alone). */
function verdict(v: ClientView, checks: CheckResult[], failed: number): HTMLElement | null {
  const connected = v.status === 'established' || v.status === 'done';
  if (connected && v.level >= 4 && failed === 0 && checks.length)
    return h(
      'p',
      { class: 'padlock', id: 'padlock' },
      padlockIcon(false),
      ' ',
      h('strong', {}, `All ${checks.length} checks passed: your browser went on by itself`),
      ' — a real browser shows its padlock here. It means the other end holds the private key of a certificate for bank.example that a CA you trust signed; not that the site is honest.',
    );
  if (connected && failed)
    return h('p', { class: 'no-padlock' }, mark(false, `You went on although ${failed} check${failed > 1 ? 's' : ''} failed: no padlock. Whoever is at the other end may not be the bank.`));
  if (connected && v.level < 4)
    return h(
      'p',
      { class: 'no-padlock' },
      mark('warn', v.level === 1 ? 'Connected over plain HTTP: no padlock.' : v.level === 2 ? 'Connected, but the key crossed the wire in the clear: no padlock.' : 'Connected, but nothing proved whose key that was: no padlock.'),
    );
  if (v.status === 'failed') return h('p', { class: 'no-padlock' }, mark(false, 'A check failed: your browser closed the connection.'));
  if (v.status === 'aborted') return h('p', { class: 'no-padlock' }, mark(false, 'The connection was aborted.'));
  return null;
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
