/**
 * Each connection gets its view of the round as the changes since the last view it got
 * (RFC 6902 JSON Patch, made by fast-json-patch), and whole only when it has none yet: a long
 * round's view grows to many kilobytes, and most moves change a few lines of it.
 */
import jsonpatch from 'fast-json-patch';
import type { JsonPatchOperation } from '@heist/shared';

export type Delivery<V> = { whole: V } | { patch: JsonPatchOperation[] } | null;

export class ViewChannels<V extends object> {
  private readonly lastSent = new Map<string, V>();
  /** Connections sharing a seat share their views: the patch from one view to the next is made once. */
  private readonly patches = new WeakMap<V, WeakMap<V, JsonPatchOperation[]>>();

  /** What to send `id` so that it holds `view`: the whole view, a patch, or nothing (no change). */
  next(id: string, view: V): Delivery<V> {
    const last = this.lastSent.get(id);
    this.lastSent.set(id, view);
    if (!last) return { whole: view };
    if (last === view) return null;
    let byNext = this.patches.get(last);
    if (!byNext) this.patches.set(last, (byNext = new WeakMap()));
    let patch = byNext.get(view);
    if (!patch) byNext.set(view, (patch = jsonpatch.compare(last, view) as JsonPatchOperation[]));
    return patch.length ? { patch } : null;
  }

  /** The next view `id` gets is whole (it joined, came back, or asked to resynchronise). */
  forget(id: string): void {
    this.lastSent.delete(id);
  }

  clear(): void {
    this.lastSent.clear();
  }
}
