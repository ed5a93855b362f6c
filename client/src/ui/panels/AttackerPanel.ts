/**
 * Mallory's proxy, in mitmproxy/Burp terms: intercept on/off, the queue of held packets,
 * forward / forward all / drop, edit a field or the raw bytes, replay, inject, substitute a
 * key or certificate, strip HTTPS, ask the CA for a certificate, try a key, submit a secret.
 * The forms are built once (what the player types survives new views); the lists redraw.
 * This file lays the panel out, keeps which held packet she edits, and redraws each part when
 * its data changes; the parts are in attacker/.
 */
import type { AttackerAction, AttackerView, Budget, PacketDetail } from '../../shared.ts';
import { h, Memo, mark, replaceChildren } from '../dom.ts';
import { endpointName } from '../words.ts';
import { cafePortal } from './attacker/cafePortal.ts';
import { capturedList } from './attacker/captured.ts';
import { loot } from './attacker/loot.ts';
import { PacketEditor } from './attacker/PacketEditor.ts';
import { ProxyControls } from './attacker/proxy.ts';
import { budgetLine, fieldLabel, hexOnly, TOOL_BUDGETS, toolForm } from './attacker/tools.ts';
import type { PanelContext } from './context.ts';

export class AttackerPanel {
  readonly el: HTMLElement;
  private memo = new Memo();
  private view?: AttackerView;
  /** The packet being edited (a held one). */
  private editing?: number;

  private readonly proxy: ProxyControls;
  /** The rogue-root event: her root, the certificate it signed, and Alice's answer at her portal. */
  private readonly cafe = h('div', { class: 'cafe-portal' });
  private readonly queue = h('div', { class: 'queue' });
  private readonly editor: PacketEditor;
  private readonly captured = h('div', { class: 'captured' });
  private readonly loot = h('div', { class: 'loot' });
  private readonly tryKeyPacket = h('select', { id: 'trykey-packet' });
  private readonly keyOptions = h('datalist', { id: 'known-keys' });
  /** The tool forms, each shown only where its level offers the tool, and usable only when the view allows it. */
  private readonly toolForms: { tool: AttackerAction['type']; form: HTMLElement }[] = [];
  /** Under each tool: what is left of the round's budgets it spends ("3 of 20 injections left"). */
  private readonly budgetNotes: { budgets: Budget[]; el: HTMLElement }[] = [];
  /** What the player typed: cleared when a new round begins, so nothing of the last round is kept. */
  private readonly injectHex = h('textarea', { id: 'inject-hex', rows: 2, spellcheck: 'false', placeholder: 'bytes in hex' });
  private readonly subject = h('input', { id: 'csr-subject', type: 'text', value: 'bank.example', autocomplete: 'off' });
  private readonly tryKeyHex = h('input', { id: 'trykey-key', type: 'text', list: 'known-keys', autocomplete: 'off', spellcheck: 'false' });
  private readonly secret = h('input', { id: 'stolen-secret', type: 'text', autocomplete: 'off' });

  constructor(private readonly ctx: PanelContext) {
    this.proxy = new ProxyControls(ctx, () => this.view);
    this.editor = new PacketEditor(ctx, () => ({ view: this.view, editing: this.editing }));
    const injectTo = h('select', { id: 'inject-to' }, h('option', { value: 'server' }, 'to the bank'), h('option', { value: 'client' }, 'to Alice'));
    const { injectHex, subject, tryKeyHex, secret } = this;
    this.el = h(
      'section',
      { class: 'panel role-panel attacker', 'aria-labelledby': 'role-title' },
      h('h2', { id: 'role-title' }, 'Attacker — Mallory on the café Wi-Fi'),
      this.cafe,
      this.proxy.el,
      ctx.ready,
      this.queue,
      this.editor.el,
      this.captured,
      h(
        'details',
        { class: 'tools' },
        h('summary', {}, 'More tools: inject, ask the CA, try a key'),
        this.tool('inject', toolForm('Inject a forged packet', () => ctx.act({ type: 'inject', to: injectTo.value === 'client' ? 'client' : 'server', hex: hexOnly(injectHex.value) }), [
          fieldLabel('inject-to', 'Send'),
          injectTo,
          fieldLabel('inject-hex', 'Bytes (hex)'),
          injectHex,
        ], 'Inject')),
        this.tool('requestCertificate', toolForm('Ask the CA for a certificate', () => ctx.act({ type: 'requestCertificate', subject: subject.value.trim() }), [fieldLabel('csr-subject', 'For the name'), subject], 'Send request')),
        this.tool('tryKey', toolForm('Try a key on captured ciphertext', () => ctx.act({ type: 'tryKey', packetId: Number(this.tryKeyPacket.value), keyHex: hexOnly(tryKeyHex.value) }), [
          fieldLabel('trykey-packet', 'Packet'),
          this.tryKeyPacket,
          fieldLabel('trykey-key', 'Key (hex)'),
          tryKeyHex,
          this.keyOptions,
        ], 'Try key')),
      ),
      this.tool('submitSecret', toolForm('Submit a stolen secret', () => ctx.act({ type: 'submitSecret', secret: secret.value.trim() }), [fieldLabel('stolen-secret', 'The secret you read (e.g. the PIN)'), secret], 'Submit')),
      this.loot,
    );
  }

  private tool(type: AttackerAction['type'], el: HTMLElement, budgets: Budget[] = TOOL_BUDGETS[type] ?? []): HTMLElement {
    this.toolForms.push({ tool: type, form: el });
    if (budgets.length) {
      const note = h('p', { class: 'budget muted', 'data-budget': budgets.join(' ') });
      this.budgetNotes.push({ budgets, el: note });
      el.querySelector('button[type="submit"]')?.before(note);
    }
    return el;
  }

  update(v: AttackerView): void {
    if (this.view && (v.now < this.view.now || (this.view.phase === 'over' && v.phase !== 'over'))) this.newRound();
    this.proxy.settle(v);
    this.view = v;
    this.editor.startFlipFrom(v.knownEnding);
    const can = (type: AttackerAction['type']) => v.allowed.includes(type);
    const heldPackets = v.held.map((id) => v.captured.find((p) => p.id === id)).filter((p): p is PacketDetail => !!p);
    if (this.editing !== undefined && !v.held.includes(this.editing)) this.editing = undefined;
    if (this.editing === undefined) this.editing = heldPackets[0]?.id;

    for (const { tool, form } of this.toolForms) {
      form.hidden = !v.tools.includes(tool);
      const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
      if (submit) submit.disabled = !can(tool);
    }
    for (const { budgets, el } of this.budgetNotes) el.textContent = budgetLine(v, budgets);
    if (this.memo.changed('proxy', [v.intercept, v.substitute, v.stripping, v.allowed, v.unavailable.substitute, v.unavailable.strip, v.tools, v.substitutes, v.substituteProblems, !!v.leakedKey, v.closing, v.phase, this.proxy.refusal])) this.proxy.draw(v);
    if (this.memo.changed('cafe', [!!v.rogueRoot, v.rogueRoot?.alice, v.leakedKey])) replaceChildren(this.cafe, ...cafePortal(v.rogueRoot, v.leakedKey, this.ctx));
    if (this.memo.changed('queue', [heldPackets.map((p) => p.id), this.editing, v.allowed, v.intercept])) this.drawQueue(heldPackets, can('forward'), can('drop'), v.intercept);
    const edited = heldPackets.find((p) => p.id === this.editing);
    if (this.memo.changed('editor', [edited?.id, edited?.hex, v.allowed, v.budgets.edits, v.budgets.bytes])) this.editor.draw(edited, can('editField'));
    if (this.memo.changed('captured', [v.captured.map((p) => [p.id, p.status, !!p.plaintext]), can('replay'), can('replayFirstFlight'), v.unavailable.replayFirstFlight, v.budgets.replays, v.budgets.bytes])) replaceChildren(this.captured, ...capturedList(v, can('replay'), this.ctx));
    if (this.memo.changed('loot', [v.keys, v.certificates, v.findings, v.submissions, v.certificateRequests, v.certificateRefusals])) replaceChildren(this.loot, ...loot(v, this.ctx));
    if (this.memo.changed('tools', [v.captured.map((p) => p.id), v.keys])) {
      const chosen = this.tryKeyPacket.value;
      this.tryKeyPacket.replaceChildren(...v.captured.filter((p) => p.look === 'lockedBox').map((p) => h('option', { value: p.id }, `#${p.id} ${p.label}`)));
      if (chosen) this.tryKeyPacket.value = chosen;
      this.keyOptions.replaceChildren(...Object.entries(v.keys).map(([name, hex]) => h('option', { value: hex }, name)));
    }
  }

  /** A new round in the same seat: nothing typed in the last one survives. */
  private newRound(): void {
    this.injectHex.value = '';
    this.subject.value = 'bank.example';
    this.tryKeyHex.value = '';
    this.secret.value = '';
    this.editor.clear();
    this.editing = undefined;
    this.proxy.newRound();
    this.memo = new Memo();
  }

  private drawQueue(held: PacketDetail[], canForward: boolean, canDrop: boolean, intercept: boolean): void {
    replaceChildren(
      this.queue,
      h('h3', {}, `Held packets (${held.length})`),
      // Whoever of the seat turned intercept on (she may have left): the conversation waits for this seat.
      held.length
        ? h('p', { class: 'held-waiting', role: 'status' }, mark('warn', `${held.length === 1 ? '1 packet waits' : `${held.length} packets wait`} at your tap: Alice and the bank wait until someone at your seat forwards or drops ${held.length === 1 ? 'it' : 'them'}.`))
        : null,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', 'data-key': 'forward-all', disabled: !canForward, onclick: () => this.ctx.act({ type: 'forwardAll' }) }, 'Forward all'),
      ),
      held.length
        ? h(
            'ul',
            { class: 'held-list', 'data-scroll': 'held' },
            held.map((p) =>
              h(
                'li',
                { class: p.id === this.editing ? 'editing' : '' },
                h('span', { class: 'held-label' }, `#${p.id} ${p.label}`, ` ${endpointName(p.from)} → ${endpointName(p.to)}`),
                h(
                  'span',
                  { class: 'actions' },
                  h('button', { type: 'button', class: 'small', 'data-key': `inspect-${p.id}`, 'aria-label': `Inspect packet ${p.id}`, onclick: () => this.ctx.inspect(p.id) }, 'Inspect'),
                  h('button', { type: 'button', class: 'small', 'data-key': `edit-${p.id}`, 'aria-label': `Edit packet ${p.id}`, 'aria-pressed': String(p.id === this.editing), onclick: () => this.edit(p.id) }, 'Edit'),
                  h('button', { type: 'button', class: 'small', 'data-key': `forward-${p.id}`, 'aria-label': `Forward packet ${p.id}`, disabled: !canForward, onclick: () => this.ctx.act({ type: 'forward', packetId: p.id }) }, 'Forward'),
                  h('button', { type: 'button', class: 'small danger', 'data-key': `drop-${p.id}`, 'aria-label': `Drop packet ${p.id}`, disabled: !canDrop, onclick: () => this.ctx.act({ type: 'drop', packetId: p.id }) }, 'Drop'),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, intercept ? 'Nothing held yet: packets stop here as they arrive at your tap.' : 'Nothing held. Turn intercept on to stop packets at the tap.'),
    );
  }

  private edit(id: number): void {
    this.editing = id;
    if (this.view) this.update(this.view);
  }
}
