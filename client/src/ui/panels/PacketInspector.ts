/**
 * The packet inspector: a field tree and a hex view, linked both ways (select a field and its
 * bytes light up; the bytes of a field are one button). Plaintext appears only when the view
 * carries it, i.e. when this seat really holds the key for the record.
 *
 * The tree is the engine's own decoding (record → handshake → extension → …, each node with its
 * offset and a one-line explanation), and a line above it says what the bytes are: TLS itself at
 * levels 4–5, plain HTTP, or the game's own construction at levels 2–3.
 */
import type { CertificatePathView, FieldNode, PacketDetail, ParcelView } from '../../shared.ts';
import { h, mark, replaceChildren } from '../dom.ts';
import { LOOK_WORDS, STATUS_WORDS, endpointName } from '../words.ts';
import { checkName } from './checks.ts';

type Inspectable = { kind: 'packet'; packet: PacketDetail } | { kind: 'opaque'; parcel: ParcelView } | { kind: 'fields'; title: string; fields: FieldNode[] };

export class PacketInspector {
  readonly el: HTMLElement;
  private body: HTMLElement;
  private current?: Inspectable;
  /** The selected field: which tree ('outer' or 'inner' plaintext) and its path. */
  private selected?: { tree: 'outer' | 'inner'; path: string };

  constructor() {
    this.body = h('div', { class: 'inspector-body' }, h('p', { class: 'muted' }, 'Choose a packet to look inside it.'));
    this.el = h('section', { class: 'panel inspector', 'aria-labelledby': 'inspector-title' }, h('h2', { id: 'inspector-title' }, 'Packet inspector'), this.body);
  }

  showPacket(packet: PacketDetail): void {
    if (this.current?.kind !== 'packet' || this.current.packet.id !== packet.id) this.selected = undefined;
    this.current = { kind: 'packet', packet };
    this.render();
  }

  /** A parcel this seat cannot open: say so, and why. */
  showOpaque(parcel: ParcelView): void {
    this.selected = undefined;
    this.current = { kind: 'opaque', parcel };
    this.render();
  }

  /** A field tree without bytes (e.g. a CSR as the CA's queue lists it). */
  showFields(title: string, fields: FieldNode[]): void {
    this.selected = undefined;
    this.current = { kind: 'fields', title, fields };
    this.render();
  }

  get packetId(): number | undefined {
    return this.current?.kind === 'packet' ? this.current.packet.id : this.current?.kind === 'opaque' ? this.current.parcel.id : undefined;
  }

  clear(): void {
    this.current = undefined;
    this.selected = undefined;
    replaceChildren(this.body, h('p', { class: 'muted' }, 'Choose a packet to look inside it.'));
  }

  private render(): void {
    const c = this.current;
    if (!c) return this.clear();
    if (c.kind === 'opaque') {
      const p = c.parcel;
      replaceChildren(
        this.body,
        header(p),
        h('p', {}, mark('info', 'You are not on this packet’s path, so you cannot see its bytes.')),
      );
      return;
    }
    if (c.kind === 'fields') {
      replaceChildren(this.body, h('h3', {}, c.title), h('p', { class: 'muted' }, 'Its fields, as they were sent (no bytes here).'), h('div', { class: 'field-tree' }, this.tree(c.fields, 'outer')));
      return;
    }
    const p = c.packet;
    const sel = this.selected;
    const outer = sel?.tree === 'outer' ? findField(p.fields, sel.path) : undefined;
    replaceChildren(
      this.body,
      header(p),
      p.format ? h('p', { class: 'packet-format' }, mark('info', p.format)) : null,
      p.origin && p.origin !== 'genuine' ? h('p', {}, mark('warn', `Your work: this packet was ${p.origin}.`)) : null,
      p.decodeError ? h('p', { role: 'status' }, mark(false, `Does not decode: ${p.decodeError}`)) : null,
      p.path ? pathBuilt(p.path) : null,
      h(
        'div',
        { class: 'inspector-split' },
        h('div', { class: 'field-tree', 'data-scroll': 'tree' }, h('h3', {}, 'Fields'), this.tree(p.fields, 'outer')),
        h('div', { class: 'hex-view', 'data-scroll': 'hex' }, h('h3', {}, `Bytes (${p.hex.length / 2})`), this.hex(p.hex, p.fields, 'outer', outer)),
      ),
      p.plaintext
        ? h(
            'div',
            { class: 'plaintext' },
            h('h3', {}, '✔ Decrypted with a key you hold'),
            h('pre', { class: 'plaintext-text' }, p.plaintext.text),
            h(
              'div',
              { class: 'inspector-split' },
              h('div', { class: 'field-tree' }, this.tree(p.plaintext.fields, 'inner')),
              h('div', { class: 'hex-view' }, this.hex(p.plaintext.hex, p.plaintext.fields, 'inner', sel?.tree === 'inner' ? findField(p.plaintext.fields, sel.path) : undefined)),
            ),
          )
        : p.look === 'lockedBox'
          ? h('p', {}, mark('info', 'Encrypted: you hold no key that opens it.'))
          : null,
    );
    if (sel) this.body.querySelector<HTMLElement>('.byte.selected')?.scrollIntoView({ block: 'nearest' });
  }

  private tree(fields: FieldNode[], tree: 'outer' | 'inner'): HTMLElement {
    return h(
      'ul',
      { class: 'tree', role: 'list' },
      fields.map((f) => {
        const isSelected = this.selected?.tree === tree && this.selected.path === f.path;
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `field${isSelected ? ' selected' : ''}`,
              'aria-pressed': String(isSelected),
              'data-key': `field-${tree}-${f.path}`,
              'data-path': f.path,
              title: f.explain,
              onclick: () => this.select(tree, f.path),
            },
            h('span', { class: 'field-name' }, f.name),
            ': ',
            h('span', { class: 'field-value' }, f.value.length > 48 ? `${f.value.slice(0, 48)}…` : f.value),
            h('span', { class: 'sr-only' }, ` — bytes ${f.offset} to ${f.offset + f.length - 1}. ${f.explain}`),
          ),
          isSelected
            ? h(
                'div',
                { class: 'field-explain' },
                f.value.length > 48 ? h('p', {}, 'Value: ', h('code', { class: 'field-full' }, f.value)) : null,
                h('p', {}, f.explain),
              )
            : null,
          f.children?.length ? this.tree(f.children, tree) : null,
        );
      }),
    );
  }

  /** 16 bytes a row; the selected field's bytes are marked (outlined and bold, not only tinted). */
  private hex(hex: string, fields: FieldNode[], tree: 'outer' | 'inner', selected?: FieldNode): HTMLElement {
    const bytes = hex.match(/../g) ?? [];
    const leaves = flatten(fields).filter((f) => !f.children?.length);
    const rows: HTMLElement[] = [];
    for (let row = 0; row < bytes.length; row += 16) {
      const cells = bytes.slice(row, row + 16).map((b, i) => {
        const offset = row + i;
        const inSel = selected && offset >= selected.offset && offset < selected.offset + selected.length;
        const owner = leaves.find((f) => offset >= f.offset && offset < f.offset + f.length);
        return h(
          'span',
          {
            class: `byte${inSel ? ' selected' : ''}`,
            'data-offset': offset,
            title: owner ? `${owner.name} (${owner.path})` : undefined,
            onclick: owner ? () => this.select(tree, owner.path) : undefined,
          },
          b,
        );
      });
      rows.push(h('div', { class: 'hex-row' }, h('span', { class: 'hex-offset', 'aria-hidden': 'true' }, row.toString(16).padStart(4, '0')), ...cells));
    }
    return h(
      'div',
      { class: 'hex-grid', role: 'group', 'aria-label': selected ? `Bytes; ${selected.name} is bytes ${selected.offset} to ${selected.offset + selected.length - 1}, marked` : 'Bytes' },
      rows,
    );
  }

  private select(tree: 'outer' | 'inner', path: string): void {
    this.selected = this.selected?.tree === tree && this.selected.path === path ? undefined : { tree, path };
    this.render();
  }
}

/**
 * The certification path the browser built from this packet's certificates: the site's first,
 * each with who signed it and what failed on it, up to the root in the trust store (or where
 * the path stopped without one). The checks themselves are the engine's; this only lays them out.
 */
function pathBuilt(path: CertificatePathView): HTMLElement {
  const links = path.steps.map((step, i) => {
    const what = step.role === 'leaf' ? 'the site’s certificate' : step.ca ? 'a CA certificate (cA TRUE)' : 'sent as a CA, but its certificate says cA FALSE';
    return h(
      'li',
      { class: step.failed.length ? 'failed' : 'passed', 'data-key': `path-step-${i}` },
      mark(step.failed.length === 0, `${step.subject}`),
      ` — ${what}, signed by ${step.issuer}`,
      step.failed.length ? h('ul', {}, step.failed.map((c) => h('li', {}, mark(false, `${checkName(c.check)}: `), c.detail))) : null,
    );
  });
  const end = path.anchor
    ? path.anchorInstalled
      ? h('li', { class: 'passed anchor installed', 'data-key': 'path-anchor' }, mark('warn', path.anchor), ' — in your trust store because you installed it this round (the café Wi-Fi’s certificate), not a root your browser came with: the path ends there')
      : h('li', { class: 'passed anchor', 'data-key': 'path-anchor' }, mark(true, path.anchor), ' — in your trust store: the path ends at a root you already trust')
    : h('li', { class: 'failed anchor', 'data-key': 'path-anchor' }, mark(false, 'no root you trust'), ' — the path stops here: nothing the server sent leads to a CA in your trust store');
  return h(
    'div',
    { class: 'path-built', role: 'group', 'aria-labelledby': 'path-title' },
    h('h3', { id: 'path-title' }, 'The path your browser built from these certificates'),
    h('ol', { class: 'path', 'aria-label': 'Certification path, from the site to the root' }, links, end),
    path.unused.length ? h('p', { class: 'muted' }, `Sent but not on the path: ${path.unused.join(', ')}.`) : null,
    h('p', {}, path.accepted ? mark(true, 'Every link holds.') : mark(false, 'The path does not hold: your browser says so in its checks.')),
  );
}

function header(p: ParcelView): HTMLElement {
  return h(
    'p',
    { class: 'packet-header' },
    h('strong', {}, `#${p.id} ${p.label}`),
    ` · ${endpointName(p.from)} → ${endpointName(p.to)} · ${LOOK_WORDS[p.look]} · ${STATUS_WORDS[p.status]} · ${p.size} bytes`,
  );
}

export function flatten(fields: FieldNode[]): FieldNode[] {
  return fields.flatMap((f) => [f, ...flatten(f.children ?? [])]);
}

function findField(fields: FieldNode[], path: string): FieldNode | undefined {
  return flatten(fields).find((f) => f.path === path);
}
