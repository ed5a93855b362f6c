/**
 * The Certificate Transparency event's public log (RFC 6962): every certificate the CA issued
 * this round, in order, with its leaf hash, and the tree head over them — the same for every
 * seat and the projector, because anyone may read a CT log. The bank's copy also marks what its
 * log monitor flagged: a certificate for its name with a key that is not its own.
 */
import { formatGameTime, type CtLogView, type ServerView } from '../../shared.ts';
import { h, Memo, mark, replaceChildren } from '../dom.ts';

export class CtLogPanel {
  readonly el = h('section', { class: 'panel ct-log', 'aria-labelledby': 'ct-log-title', hidden: true });
  private memo = new Memo();

  /** `monitor`: the bank's own view of what its monitor flagged (only its seat has it). */
  update(log: CtLogView | undefined, monitor?: ServerView['ctMonitor']): void {
    if (!this.memo.changed('log', [log, monitor])) return;
    this.el.hidden = !log;
    if (!log) return replaceChildren(this.el);
    const flagged = new Set(monitor?.spotted ?? []);
    replaceChildren(
      this.el,
      h('h2', { id: 'ct-log-title' }, `Public log — ${log.name}`),
      h('p', { class: 'muted' }, 'Certificate Transparency: the CA shows every certificate it signs to this log before it signs it, and the log’s signed receipt (SCT) goes into the certificate. Anyone can read the log.'),
      monitor
        ? h('p', { 'data-key': 'ct-monitor' }, monitor.watching ? (flagged.size ? mark(false, `Your log monitor flagged ${flagged.size} certificate(s) for bank.example you never asked for: mis-issued. The bank would now ask the CA to revoke it.`) : mark('info', 'Your log monitor watches for certificates for bank.example: nothing you did not ask for so far.')) : mark('warn', 'Your bank does not watch the log: nobody will look for certificates issued in its name.'))
        : null,
      log.entries.length
        ? h(
            'ol',
            { class: 'ct-entries', 'aria-label': 'Entries in the log' },
            log.entries.map((e) =>
              h(
                'li',
                { class: flagged.has(e.index) ? 'ct-flagged' : undefined, 'data-entry': String(e.index) },
                h('strong', {}, `#${e.index} ${e.subject}`),
                flagged.has(e.index) ? h('span', {}, ' ', mark(false, 'not your key: mis-issued')) : null,
                h('br', {}),
                `${e.issuer}, serial ${e.serial}, key `,
                h('code', {}, `${e.publicKey.slice(0, 12)}…`),
                h('br', {}),
                h('span', { class: 'muted' }, `logged ${formatGameTime(e.loggedAt)}; leaf hash `, h('code', {}, `${e.leafHash.slice(0, 12)}…`)),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No certificate logged yet.'),
      h('p', { class: 'ct-head', 'data-key': 'ct-tree-head' }, `Tree head: ${log.treeSize} entr${log.treeSize === 1 ? 'y' : 'ies'}, root hash `, h('code', { title: log.rootHash }, `${log.rootHash.slice(0, 16)}…`), h('span', { class: 'muted' }, ' — the Merkle tree hash over every entry (RFC 6962 §2.1): change or remove one and it changes.')),
    );
  }
}
