/** Small DOM helpers: build elements from plain data, and swap children without losing focus. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null | ((event: Event) => void)>;

/** `h('button', { onclick, 'aria-label': … }, 'text')` */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      el.addEventListener(name.replace(/^on/, ''), value as EventListener);
    } else if (name === 'class') {
      el.className = String(value);
    } else if (name === 'value' && 'value' in el) {
      (el as HTMLInputElement).value = String(value);
    } else if (name === 'checked' || name === 'selected' || name === 'disabled') {
      (el as unknown as Record<string, boolean>)[name] = !!value;
      if (value) el.setAttribute(name, '');
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/**
 * Replace an element's children, keeping keyboard focus (and scroll) where it was: the focused
 * element's `data-key` is looked up in the new content.
 */
export function replaceChildren(container: Element, ...children: (Child | Child[])[]): void {
  const active = document.activeElement as HTMLElement | null;
  const inside = active && container.contains(active);
  const key = inside ? active.dataset.key : undefined;
  const id = inside && !key ? active.id : undefined;
  const scrolls = [...container.querySelectorAll<HTMLElement>('[data-scroll]')].map((el) => [el.dataset.scroll, el.scrollTop] as const);
  container.replaceChildren();
  append(container, children);
  for (const [name, top] of scrolls) {
    const el = container.querySelector<HTMLElement>(`[data-scroll="${name}"]`);
    if (el) el.scrollTop = top;
  }
  for (const box of container.querySelectorAll<HTMLElement>('[data-scroll]')) keyboardScrollable(box);
  if (key) container.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
  else if (id) container.querySelector<HTMLElement>(`#${CSS.escape(id)}`)?.focus();
}

/**
 * A `[data-scroll]` box that the page styles to scroll (its own overflow) must scroll by keyboard
 * too: a tab stop, named after its heading so a screen reader says which list it is in.
 */
function keyboardScrollable(box: HTMLElement): void {
  if (!box.isConnected || !/auto|scroll/.test(getComputedStyle(box).overflowY)) return;
  if (!box.hasAttribute('tabindex')) box.tabIndex = 0;
  if (box.hasAttribute('aria-label') || box.hasAttribute('aria-labelledby')) return;
  let heading: Element | null = box.querySelector('h2, h3, h4');
  for (let el = box.previousElementSibling; !heading && el; el = el.previousElementSibling) if (/^H[2-4]$/.test(el.tagName)) heading = el;
  const name = heading?.textContent?.trim();
  if (name) box.setAttribute('aria-label', name);
}

/** Re-render only when the data drawn actually changed. */
export class Memo {
  private last = new Map<string, string>();
  changed(slot: string, data: unknown): boolean {
    const sig = JSON.stringify(data);
    if (this.last.get(slot) === sig) return false;
    this.last.set(slot, sig);
    return true;
  }
}

/** A status marker that never relies on colour alone: an icon and a word. */
export function mark(ok: boolean | 'warn' | 'info', text: string): HTMLElement {
  const [icon, cls, word] =
    ok === true ? ['✔', 'ok', 'Passed'] : ok === false ? ['✘', 'bad', 'Failed'] : ok === 'warn' ? ['⚠', 'warn', 'Warning'] : ['ℹ', 'info', 'Info'];
  return h('span', { class: `mark mark-${cls}` }, h('span', { 'aria-hidden': 'true' }, icon), ' ', h('span', { class: 'sr-only' }, `${word}: `), text);
}

/** Long hex strings: show the start, the full value on demand. */
export function hexPreview(hex: string, label: string): HTMLElement {
  if (hex.length <= 24) return h('code', { class: 'hex', 'aria-label': `${label}: ${hex}` }, hex);
  return h(
    'details',
    { class: 'hex-details' },
    h('summary', {}, h('code', { class: 'hex' }, `${hex.slice(0, 16)}…`), h('span', { class: 'sr-only' }, ` ${label}, ${hex.length / 2} bytes, show all`)),
    h('code', { class: 'hex hex-full' }, hex),
  );
}

export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * Bring a region that has just appeared into view if it is out of it (a round's result, drawn at
 * the top of a page the player may have scrolled far down), smoothly unless motion is reduced;
 * then move focus to `target` so a screen reader reads it — but never out of a field the player
 * is typing in: then the words are announced instead.
 */
export function reveal(region: HTMLElement, target: HTMLElement | null, reducedMotion: boolean): void {
  // After this frame's layout (the rest of the round's last view is drawn in the same task).
  requestAnimationFrame(() => revealNow(region, target, reducedMotion));
}

function revealNow(region: HTMLElement, target: HTMLElement | null, reducedMotion: boolean): void {
  const top = region.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight / 2) region.scrollIntoView({ behavior: reducedMotion ? 'auto' : 'smooth', block: 'start' });
  if (!target) return;
  const active = document.activeElement;
  const typing = active instanceof HTMLTextAreaElement || active instanceof HTMLSelectElement || (active instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(active.type));
  if (typing) return announce(target.textContent ?? '');
  if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus({ preventScroll: true });
}

export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (region) {
    region.textContent = '';
    setTimeout(() => (region.textContent = text), 30);
  }
}

/** A padlock drawn as SVG (emoji fonts are missing on many school machines); decorative. */
export function padlockIcon(open: boolean): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '1em');
  svg.setAttribute('height', '1em');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'padlock-icon');
  const shackle = document.createElementNS(ns, 'path');
  shackle.setAttribute('d', open ? 'M4.5 7V4.5a3.5 3.5 0 0 1 6.8-1.2' : 'M4.5 7V4.5a3.5 3.5 0 0 1 7 0V7');
  shackle.setAttribute('fill', 'none');
  shackle.setAttribute('stroke', 'currentColor');
  shackle.setAttribute('stroke-width', '1.6');
  const body = document.createElementNS(ns, 'rect');
  for (const [k, v] of Object.entries({ x: '2.5', y: '7', width: '11', height: '8', rx: '1.5', fill: 'currentColor' })) body.setAttribute(k, v);
  svg.append(shackle, body);
  return svg;
}
