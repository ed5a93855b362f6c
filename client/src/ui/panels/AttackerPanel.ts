/**
 * Mallory's proxy, in mitmproxy/Burp terms: intercept on/off, the queue of held packets,
 * forward / forward all / drop, edit a field or the raw bytes, replay, inject, substitute a
 * key or certificate, strip HTTPS, ask the CA for a certificate, try a key, submit a secret.
 * The forms are built once (what the player types survives new views); the lists redraw.
 */
import { BUDGET_WORDS, DOWNGRADE_EDIT, planFlip, SUBSTITUTE_WORDS, type AttackerAction, type AttackerView, type Budget, type PacketDetail, type SubstituteMode } from '../../shared.ts';
import { h, hexPreview, Memo, mark, replaceChildren } from '../dom.ts';
import { endpointName, LOOK_WORDS } from '../words.ts';
import { STOLEN_PERSONA, stolenCertificateLine } from './revocation.ts';
import type { PanelContext } from './context.ts';
import { flatten } from './PacketInspector.ts';

export class AttackerPanel {
  readonly el: HTMLElement;
  private memo = new Memo();
  private view?: AttackerView;
  /** The packet being edited (a held one). */
  private editing?: number;

  private readonly proxy = h('div', { class: 'proxy' });
  /** The rogue-root event: her root, the certificate it signed, and Alice's answer at her portal. */
  private readonly cafe = h('div', { class: 'cafe-portal' });
  private readonly queue = h('div', { class: 'queue' });
  private readonly editor = h('div', { class: 'editor' });
  private readonly captured = h('div', { class: 'captured' });
  private readonly loot = h('div', { class: 'loot' });
  private readonly tryKeyPacket = h('select', { id: 'trykey-packet' });
  private readonly keyOptions = h('datalist', { id: 'known-keys' });
  private readonly editPath = h('select', { id: 'edit-path' });
  private readonly editValue = h('input', { id: 'edit-value', type: 'text', autocomplete: 'off' });
  private readonly editHex = h('textarea', { id: 'edit-hex', rows: 3, spellcheck: 'false' });
  /** Flip bits: her guess of how the record ends, what she wants it to say, and the XOR laid out byte by byte as she types. */
  private readonly flipKnown = h('input', { id: 'flip-known', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. amount=0060' });
  private readonly flipWanted = h('input', { id: 'flip-wanted', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'as long as your guess' });
  private readonly flipPreview = h('div', { class: 'flip-preview', id: 'flip-preview', 'aria-live': 'polite' });
  /** The tool forms, each shown only where its level offers the tool, and usable only when the view allows it. */
  private readonly toolForms: { tool: AttackerAction['type']; form: HTMLElement }[] = [];
  /** Under each tool: what is left of the round's budgets it spends ("3 of 20 injections left"). */
  private readonly budgetNotes: { budgets: Budget[]; el: HTMLElement }[] = [];
  /** What the player typed: cleared when a new round begins, so nothing of the last round is kept. */
  private readonly injectHex = h('textarea', { id: 'inject-hex', rows: 2, spellcheck: 'false', placeholder: 'bytes in hex' });
  private readonly subject = h('input', { id: 'csr-subject', type: 'text', value: 'bank.example', autocomplete: 'off' });
  private readonly tryKeyHex = h('input', { id: 'trykey-key', type: 'text', list: 'known-keys', autocomplete: 'off', spellcheck: 'false' });
  private readonly secret = h('input', { id: 'stolen-secret', type: 'text', autocomplete: 'off' });
  /** A persona she chose that the round has not confirmed yet; the select shows the real one meanwhile. */
  private asked?: SubstituteMode;
  /** Why the round did not take the persona she chose, said beside the select. */
  private personaRefused?: string;

  constructor(private readonly ctx: PanelContext) {
    const injectTo = h('select', { id: 'inject-to' }, h('option', { value: 'server' }, 'to the bank'), h('option', { value: 'client' }, 'to Alice'));
    const { injectHex, subject, tryKeyHex, secret } = this;
    this.el = h(
      'section',
      { class: 'panel role-panel attacker', 'aria-labelledby': 'role-title' },
      h('h2', { id: 'role-title' }, 'Attacker — Mallory on the café Wi-Fi'),
      this.cafe,
      this.proxy,
      ctx.ready,
      this.queue,
      this.editor,
      this.captured,
      h(
        'details',
        { class: 'tools' },
        h('summary', {}, 'More tools: inject, ask the CA, try a key'),
        this.tool('inject', form('Inject a forged packet', () => ctx.act({ type: 'inject', to: injectTo.value === 'client' ? 'client' : 'server', hex: clean(injectHex.value) }), [
          label('inject-to', 'Send'),
          injectTo,
          label('inject-hex', 'Bytes (hex)'),
          injectHex,
        ], 'Inject')),
        this.tool('requestCertificate', form('Ask the CA for a certificate', () => ctx.act({ type: 'requestCertificate', subject: subject.value.trim() }), [label('csr-subject', 'For the name'), subject], 'Send request')),
        this.tool('tryKey', form('Try a key on captured ciphertext', () => ctx.act({ type: 'tryKey', packetId: Number(this.tryKeyPacket.value), keyHex: clean(tryKeyHex.value) }), [
          label('trykey-packet', 'Packet'),
          this.tryKeyPacket,
          label('trykey-key', 'Key (hex)'),
          tryKeyHex,
          this.keyOptions,
        ], 'Try key')),
      ),
      this.tool('submitSecret', form('Submit a stolen secret', () => ctx.act({ type: 'submitSecret', secret: secret.value.trim() }), [label('stolen-secret', 'The secret you read (e.g. the PIN)'), secret], 'Submit')),
      this.loot,
    );
    this.editPath.addEventListener('change', () => this.prefillValue());
    for (const input of [this.flipKnown, this.flipWanted]) input.addEventListener('input', () => this.drawFlipPreview());
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
    this.settleAsked(v);
    this.view = v;
    // What she knows of how Alice's order ends (the event): her flip starts from it, and she may change either line.
    if (v.knownEnding && !this.flipKnown.value && !this.flipWanted.value) {
      this.flipKnown.value = v.knownEnding.known;
      this.flipWanted.value = v.knownEnding.wanted;
    }
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
    if (this.memo.changed('proxy', [v.intercept, v.substitute, v.stripping, v.allowed, v.unavailable.substitute, v.unavailable.strip, v.tools, v.substitutes, v.substituteProblems, !!v.leakedKey, v.closing, v.phase, this.personaRefused])) this.drawProxy(v);
    if (this.memo.changed('cafe', [!!v.rogueRoot, v.rogueRoot?.alice, v.leakedKey])) this.drawCafe(v.rogueRoot, v.leakedKey);
    if (this.memo.changed('queue', [heldPackets.map((p) => p.id), this.editing, v.allowed, v.intercept])) this.drawQueue(heldPackets, can('forward'), can('drop'), v.intercept);
    const edited = heldPackets.find((p) => p.id === this.editing);
    if (this.memo.changed('editor', [edited?.id, edited?.hex, v.allowed, v.budgets.edits, v.budgets.bytes])) this.drawEditor(edited, can('editField'));
    if (this.memo.changed('captured', [v.captured.map((p) => [p.id, p.status, !!p.plaintext]), can('replay'), can('replayFirstFlight'), v.unavailable.replayFirstFlight, v.budgets.replays, v.budgets.bytes])) this.drawCaptured(v, can('replay'));
    if (this.memo.changed('loot', [v.keys, v.certificates, v.findings, v.submissions, v.certificateRequests, v.certificateRefusals])) this.drawLoot(v);
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
    this.editValue.value = '';
    this.editHex.value = '';
    this.flipKnown.value = '';
    this.flipWanted.value = '';
    this.editing = undefined;
    this.asked = undefined;
    this.personaRefused = undefined;
    this.memo = new Memo();
  }

  /** The first view after she chose a persona says whether the round took it; if not, why. */
  private settleAsked(v: AttackerView): void {
    if (this.asked === undefined) return;
    if (v.substitute !== this.asked) this.personaRefused = v.substituteProblems[this.asked] ?? v.unavailable.substitute ?? 'the round did not take it (the message at the top of the page says why)';
    this.asked = undefined;
  }

  private drawProxy(v: AttackerView): void {
    const can = (type: AttackerAction['type']) => v.allowed.includes(type);
    const choose = (e: Event) => {
      const select = e.target;
      // The latest view, not the one this select was drawn from (others' moves bring new ones).
      const now = this.view ?? v;
      if (!(select instanceof HTMLSelectElement)) return;
      const mode = now.substitutes.find((m) => m === select.value);
      // Until the round confirms it, the select shows what her proxy really presents.
      select.value = now.substitute;
      if (!mode || mode === now.substitute) return;
      this.asked = mode;
      this.personaRefused = undefined;
      this.ctx.act({ type: 'substitute', mode });
      this.drawProxy(now);
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
      this.proxy,
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

  /** Her captive portal: what it offers Alice, what her gateway shows her, and what Alice answered. */
  private drawCafe(rogue: AttackerView['rogueRoot'], leaked: AttackerView['leakedKey']): void {
    if (!rogue) {
      // The leaked-key event: what she holds instead of a portal.
      replaceChildren(this.cafe, leaked ? stolenCertificateLine(leaked) : null);
      return;
    }
    const answer =
      rogue.alice === 'installed'
        ? mark(true, `Alice installed it: “${rogue.root.subject}” is in her trust store, so every certificate it signs passes her checks.`)
        : rogue.alice === 'refused'
          ? mark(false, 'Alice refused it: her trust store holds only the roots her browser came with, so your certificate will fail her issuer check.')
          : mark('info', 'Alice has not answered your page yet.');
    replaceChildren(
      this.cafe,
      h('h3', {}, 'Your café Wi-Fi portal'),
      h('p', {}, 'Your page asks Alice to “install the café certificate”: your own root, ', h('strong', {}, rogue.root.subject), '. ', h('button', { type: 'button', class: 'link', 'data-key': 'rogue-root', onclick: () => this.ctx.inspectFields(`Certificate ${rogue.root.subject}`, rogue.root.fields) }, 'Inspect')),
      h('p', {}, 'With its key you signed a certificate for ', h('strong', {}, rogue.forged.subject), ', for your own key: your proxy below shows it to Alice in the bank’s place (“a certificate she signed herself”). ', h('button', { type: 'button', class: 'link', 'data-key': 'rogue-forged', onclick: () => this.ctx.inspectFields(`Certificate for ${rogue.forged.subject}, issued by ${rogue.forged.issuer}`, rogue.forged.fields) }, 'Inspect')),
      h('p', { id: 'portal-alice', role: 'status' }, answer),
    );
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

  private drawEditor(p: PacketDetail | undefined, canEdit: boolean): void {
    if (!p) {
      replaceChildren(this.editor);
      return;
    }
    // Only what an edit can set: the lengths, types and versions the format computes are left to raw bytes.
    const editable = new Set(p.editable ?? []);
    const leaves = flatten(p.fields).filter((f) => !f.children?.length && editable.has(f.path));
    // The name alone: a certificate's DER paths are long, and a select is as wide as its longest option.
    this.editPath.replaceChildren(...leaves.map((f) => h('option', { value: f.path, title: f.path }, f.name)));
    this.editHex.value = p.hex;
    this.prefillValue();
    const flip = p.label === 'EncryptedRecord' && this.view?.tools.includes('flipBits');
    if (flip) this.drawFlipPreview();
    // The downgrade event: TLS 1.3 crossed off Alice's offer in one move (the same field edit as by hand).
    const versions = p.label === 'ClientHello' && this.view?.event === 'versionDowngrade' ? flatten(p.fields).find((f) => f.name === DOWNGRADE_EDIT.field) : undefined;
    replaceChildren(
      this.editor,
      h('h3', {}, `Edit held packet #${p.id} ${p.label}`),
      flip
        ? form(
            'Flip bits — change what it says without the key',
            () => this.ctx.act({ type: 'flipBits', packetId: p.id, known: this.flipKnown.value, wanted: this.flipWanted.value }),
            [
              h('p', { class: 'muted' }, 'You cannot read this record, but you can guess how it ends. Each bit you flip in the ciphertext flips the same bit of what the bank decrypts — unless a tag checks the bytes.'),
              label('flip-known', 'How it ends (your guess)'),
              this.flipKnown,
              label('flip-wanted', 'Make it say'),
              this.flipWanted,
              this.flipPreview,
            ],
            'Flip these bits',
            !canEdit,
          )
        : null,
      versions
        ? form(
            'Downgrade — offer only TLS 1.2',
            () => this.ctx.act({ type: 'editField', packetId: p.id, path: versions.path, value: DOWNGRADE_EDIT.value }),
            [h('p', { class: 'muted' }, `Alice’s browser offers ${versions.value}. Cross TLS 1.3 off (supported_versions: TLS 1.2 alone), and the bank answers in the best version it is still offered.`)],
            'Offer only TLS 1.2',
            !canEdit,
          )
        : null,
      leaves.length
        ? form('By field', () => this.ctx.act({ type: 'editField', packetId: p.id, path: this.editPath.value, value: this.editValue.value }), [label('edit-path', 'Field'), this.editPath, label('edit-value', 'New value'), this.editValue], 'Apply field edit', !canEdit)
        : null,
      form('By raw bytes', () => this.ctx.act({ type: 'editBytes', packetId: p.id, hex: clean(this.editHex.value) }), [label('edit-hex', 'Bytes (hex)'), this.editHex], 'Replace bytes', !canEdit),
      this.view ? h('p', { class: 'budget muted', 'data-budget': 'edits bytes' }, budgetLine(this.view, ['edits', 'bytes'])) : null,
    );
  }

  /** The XOR, byte by byte: her guess, what she wants, the mask, and the end of the ciphertext before and after. */
  private drawFlipPreview(): void {
    const p = this.view?.captured.find((c) => c.id === this.editing);
    const span = p && flatten(p.fields).find((f) => f.path === 'fragment.ciphertext');
    if (!p || !span) {
      replaceChildren(this.flipPreview);
      return;
    }
    const ciphertext = Uint8Array.from(p.hex.slice(span.offset * 2, (span.offset + span.length) * 2).match(/../g) ?? [], (b) => parseInt(b, 16));
    const plan = planFlip(ciphertext, this.flipKnown.value, this.flipWanted.value);
    if ('problem' in plan) {
      replaceChildren(this.flipPreview, h('p', { class: 'tool-note' }, mark('info', `${plan.problem[0]!.toUpperCase()}${plan.problem.slice(1)}.`)));
      return;
    }
    const hex = (b: number) => b.toString(16).padStart(2, '0');
    const flipped = (i: number) => (plan.mask[i] ? 'flipped' : '');
    const chars = (bytes: Uint8Array, i: number) => String.fromCharCode(bytes[i]!);
    const row = (title: string, bytes: Uint8Array, text?: Uint8Array) =>
      h('tr', {}, h('th', { scope: 'row' }, title), [...bytes].map((b, i) => h('td', { class: flipped(i) }, text ? [h('span', { class: 'flip-char' }, chars(text, i)), h('br'), hex(b)] : hex(b))));
    const changed = plan.mask.filter((b) => b !== 0).length;
    const tagged = flatten(p.fields).some((f) => f.path === 'fragment.tag');
    replaceChildren(
      this.flipPreview,
      h(
        'table',
        { class: 'flip-table' },
        h('caption', {}, `The last ${plan.guess.length} bytes of the record`),
        h(
          'tbody',
          {},
          row('Your guess', plan.guess, plan.guess),
          row('Make it say', plan.wanted, plan.wanted),
          row('Mask = guess XOR wanted', plan.mask),
          row('Ciphertext now', plan.before),
          row('Ciphertext XOR mask', plan.after),
        ),
      ),
      h('p', { class: 'flip-note' }, `${changed === 1 ? '1 byte changes' : `${changed} bytes change`}, and you need no key. `, tagged
        ? mark('warn', 'But this record ends with a 16-byte AES-GCM tag computed over the ciphertext: the bank will see the change and refuse the record.')
        : mark('info', 'This record carries no tag: nothing can tell the bank that the bytes changed.')),
    );
  }

  private prefillValue(): void {
    const p = this.view?.captured.find((c) => c.id === this.editing);
    const field = p && flatten(p.fields).find((f) => f.path === this.editPath.value);
    this.editValue.value = field?.value ?? '';
  }

  private drawCaptured(v: AttackerView, canReplay: boolean): void {
    replaceChildren(
      this.captured,
      h('h3', {}, `Everything seen on the Wi-Fi (${v.captured.length})`),
      v.tools.includes('replay') ? h('p', { class: 'budget muted', 'data-budget': 'replays bytes' }, budgetLine(v, ['replays', 'bytes'])) : null,
      firstFlight(v, this.ctx),
      v.captured.length
        ? h(
            'ul',
            { class: 'captured-list' },
            v.captured.map((p) =>
              h(
                'li',
                {},
                h(
                  'span',
                  { class: 'captured-what' },
                  h('button', { type: 'button', class: 'link', 'data-key': `cap-inspect-${p.id}`, onclick: () => this.ctx.inspect(p.id) }, `#${p.id} ${p.label}`),
                  h('span', {}, ` ${endpointName(p.from)} → ${endpointName(p.to)} · ${LOOK_WORDS[p.look]} · ${p.status}`),
                  p.plaintext ? h('span', { class: 'readable' }, ' · ', mark(true, 'you can read it')) : null,
                ),
                h('button', { type: 'button', class: 'small', 'data-key': `replay-${p.id}`, 'aria-label': `Replay packet ${p.id}`, disabled: !canReplay, onclick: () => this.ctx.act({ type: 'replay', packetId: p.id }) }, 'Replay'),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'Nothing yet.'),
      recordingButton(v, this.ctx),
    );
  }

  private drawLoot(v: AttackerView): void {
    replaceChildren(
      this.loot,
      h('h3', {}, 'Keys you hold'),
      Object.keys(v.keys).length
        ? h('dl', {}, Object.entries(v.keys).flatMap(([name, hex]) => [h('dt', {}, name), h('dd', {}, hexPreview(hex, name))]))
        : h('p', { class: 'muted' }, 'None yet.'),
      v.certificates.length
        ? [
            h('h3', {}, 'Certificates you hold'),
            h(
              'ul',
              {},
              v.certificates.map((c, i) =>
                h('li', {}, `${c.subject}, issued by ${c.issuer} `, h('button', { type: 'button', class: 'link', 'data-key': `mycert-${i}`, onclick: () => this.ctx.inspectFields(`Certificate for ${c.subject}`, c.fields) }, 'Inspect')),
              ),
            ),
          ]
        : null,
      v.findings.length ? [h('h3', {}, 'Findings'), h('div', { role: 'log', 'aria-live': 'polite' }, h('ul', { class: 'findings' }, v.findings.map((f) => h('li', {}, f))))] : null,
      v.certificateRequests ? h('p', {}, mark('info', `Certificate requests sent to the CA: ${v.certificateRequests}, refused: ${v.certificateRefusals}.`)) : null,
      v.submissions.length
        ? h(
            'ul',
            { class: 'submissions', 'aria-label': 'Secrets you submitted' },
            v.submissions.map((s) => h('li', {}, mark(s.correct, s.correct ? `“${s.secret}” is the real secret.` : `“${s.secret}” is not the secret.`))),
          )
        : null,
    );
  }
}

/** Which of the round's budgets each tool spends. */
const TOOL_BUDGETS: Partial<Record<AttackerAction['type'], Budget[]>> = {
  inject: ['injections', 'bytes'],
  requestCertificate: ['certificateRequests'],
  tryKey: ['keyTrials'],
  submitSecret: ['guesses'],
};

/** "17 of 20 injections left · 28672 of 32768 bytes left" — the limits come from the view. */
function budgetLine(v: AttackerView, budgets: Budget[]): string {
  return budgets.map((b) => `${Math.max(0, v.budgets[b].limit - v.budgets[b].used)} of ${v.budgets[b].limit} ${BUDGET_WORDS[b].left} left`).join(' · ') + ' this round.';
}

function label(forId: string, text: string): HTMLElement {
  return h('label', { for: forId }, text);
}

function form(title: string, submit: () => void, controls: HTMLElement[], button: string, disabled = false): HTMLElement {
  return h(
    'form',
    { class: 'tool', 'aria-label': title, onsubmit: (e: Event) => { e.preventDefault(); submit(); } },
    h('h4', {}, title),
    controls,
    h('button', { type: 'submit', disabled }, button),
  );
}

function clean(hex: string): string {
  return hex.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
}

/** Her recording so far, for Wireshark: the same packets, without any keys. */
function recordingButton(v: AttackerView, ctx: PanelContext): HTMLElement | null {
  const offer = v.downloads.find((d) => d.file === 'recording');
  if (!offer || v.captured.length === 0) return null;
  return h('p', {}, h('button', { type: 'button', class: 'link', id: 'save-recording', onclick: () => ctx.download(offer) }, '⬇ Save this recording for Wireshark (.pcapng, no keys)'));
}

/**
 * Resumption with 0-RTT (the early-data event): Alice's first flight carries her order as early
 * data. Mallory cannot read it; one click sends a copy of it to the bank, from her own machine.
 */
function firstFlight(v: AttackerView, ctx: PanelContext): HTMLElement | null {
  if (!v.tools.includes('replayFirstFlight')) return null;
  const can = v.allowed.includes('replayFirstFlight');
  const why = !can && v.phase !== 'over' ? v.unavailable.replayFirstFlight : undefined;
  return h(
    'div',
    { class: 'first-flight' },
    h('p', {}, 'Alice came back with a session ticket from yesterday: her first flight — the ClientHello and the 0-RTT early data right behind it — carries her order. You cannot read it, but you can send it to the bank again, byte for byte, once it has passed your tap. (The round is quick: hold it with intercept, forward the flight, then replay.)'),
    h('button', { type: 'button', 'data-key': 'replay-first-flight', disabled: !can, onclick: () => ctx.act({ type: 'replayFirstFlight' }) }, 'Replay Alice’s first flight'),
    why ? h('p', { class: 'muted' }, mark('info', why)) : null,
  );
}
