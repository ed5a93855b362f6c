/**
 * Editing the held packet she chose: a field by name, the raw bytes, flipping bits of a record
 * she cannot read (its XOR laid out as she types, flipPreview.ts), and at the downgrade event
 * TLS 1.3 crossed off Alice's offer in one move. The inputs are built once: what she types
 * survives new views.
 */
import { DOWNGRADE_EDIT, type AttackerView, type PacketDetail } from '../../../shared.ts';
import { h, replaceChildren } from '../../dom.ts';
import type { PanelContext } from '../context.ts';
import { flatten } from '../PacketInspector.ts';
import { flipPreview } from './flipPreview.ts';
import { budgetLine, fieldLabel, hexOnly, toolForm } from './tools.ts';

export class PacketEditor {
  readonly el = h('div', { class: 'editor' });
  private readonly editPath = h('select', { id: 'edit-path' });
  private readonly editValue = h('input', { id: 'edit-value', type: 'text', autocomplete: 'off' });
  private readonly editHex = h('textarea', { id: 'edit-hex', rows: 3, spellcheck: 'false' });
  /** Flip bits: her guess of how the record ends, what she wants it to say, and the XOR laid out byte by byte as she types. */
  private readonly flipKnown = h('input', { id: 'flip-known', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. amount=0060' });
  private readonly flipWanted = h('input', { id: 'flip-wanted', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'as long as your guess' });
  private readonly flipPreview = h('div', { class: 'flip-preview', id: 'flip-preview', 'aria-live': 'polite' });

  constructor(
    private readonly ctx: PanelContext,
    /** The panel's latest view, and the held packet being edited. */
    private readonly latest: () => { view: AttackerView | undefined; editing: number | undefined },
  ) {
    this.editPath.addEventListener('change', () => this.prefillValue());
    for (const input of [this.flipKnown, this.flipWanted]) input.addEventListener('input', () => this.drawFlipPreview());
  }

  /** What she knows of how Alice's order ends (the event): her flip starts from it, and she may change either line. */
  startFlipFrom(ending: AttackerView['knownEnding']): void {
    if (ending && !this.flipKnown.value && !this.flipWanted.value) {
      this.flipKnown.value = ending.known;
      this.flipWanted.value = ending.wanted;
    }
  }

  /** A new round in the same seat: nothing typed in the last one survives. */
  clear(): void {
    this.editValue.value = '';
    this.editHex.value = '';
    this.flipKnown.value = '';
    this.flipWanted.value = '';
  }

  draw(p: PacketDetail | undefined, canEdit: boolean): void {
    const { view } = this.latest();
    if (!p) {
      replaceChildren(this.el);
      return;
    }
    // Only what an edit can set: the lengths, types and versions the format computes are left to raw bytes.
    const editable = new Set(p.editable ?? []);
    const leaves = flatten(p.fields).filter((f) => !f.children?.length && editable.has(f.path));
    // The name alone: a certificate's DER paths are long, and a select is as wide as its longest option.
    this.editPath.replaceChildren(...leaves.map((f) => h('option', { value: f.path, title: f.path }, f.name)));
    this.editHex.value = p.hex;
    this.prefillValue();
    const flip = p.label === 'EncryptedRecord' && view?.tools.includes('flipBits');
    if (flip) this.drawFlipPreview();
    // The downgrade event: TLS 1.3 crossed off Alice's offer in one move (the same field edit as by hand).
    const versions = p.label === 'ClientHello' && view?.event === 'versionDowngrade' ? flatten(p.fields).find((f) => f.name === DOWNGRADE_EDIT.field) : undefined;
    replaceChildren(
      this.el,
      h('h3', {}, `Edit held packet #${p.id} ${p.label}`),
      flip
        ? toolForm(
            'Flip bits — change what it says without the key',
            () => this.ctx.act({ type: 'flipBits', packetId: p.id, known: this.flipKnown.value, wanted: this.flipWanted.value }),
            [
              h('p', { class: 'muted' }, 'You cannot read this record, but you can guess how it ends. Each bit you flip in the ciphertext flips the same bit of what the bank decrypts — unless a tag checks the bytes.'),
              fieldLabel('flip-known', 'How it ends (your guess)'),
              this.flipKnown,
              fieldLabel('flip-wanted', 'Make it say'),
              this.flipWanted,
              this.flipPreview,
            ],
            'Flip these bits',
            !canEdit,
          )
        : null,
      versions
        ? toolForm(
            'Downgrade — offer only TLS 1.2',
            () => this.ctx.act({ type: 'editField', packetId: p.id, path: versions.path, value: DOWNGRADE_EDIT.value }),
            [h('p', { class: 'muted' }, `Alice’s browser offers ${versions.value}. Cross TLS 1.3 off (supported_versions: TLS 1.2 alone), and the bank answers in the best version it is still offered.`)],
            'Offer only TLS 1.2',
            !canEdit,
          )
        : null,
      leaves.length
        ? toolForm('By field', () => this.ctx.act({ type: 'editField', packetId: p.id, path: this.editPath.value, value: this.editValue.value }), [fieldLabel('edit-path', 'Field'), this.editPath, fieldLabel('edit-value', 'New value'), this.editValue], 'Apply field edit', !canEdit)
        : null,
      toolForm('By raw bytes', () => this.ctx.act({ type: 'editBytes', packetId: p.id, hex: hexOnly(this.editHex.value) }), [fieldLabel('edit-hex', 'Bytes (hex)'), this.editHex], 'Replace bytes', !canEdit),
      view ? h('p', { class: 'budget muted', 'data-budget': 'edits bytes' }, budgetLine(view, ['edits', 'bytes'])) : null,
    );
  }

  /** The XOR, byte by byte, for the packet being edited. */
  private drawFlipPreview(): void {
    const { view, editing } = this.latest();
    replaceChildren(this.flipPreview, ...flipPreview(view?.captured.find((c) => c.id === editing), this.flipKnown.value, this.flipWanted.value));
  }

  private prefillValue(): void {
    const { view, editing } = this.latest();
    const p = view?.captured.find((c) => c.id === editing);
    const field = p && flatten(p.fields).find((f) => f.path === this.editPath.value);
    this.editValue.value = field?.value ?? '';
  }
}
