/**
 * The receiving end of a room's views: a whole view, then patches to it (RFC 6902, applied by
 * fast-json-patch). Each patch makes a new view object, so a screen holding the last one (a
 * watcher's previous round, say) never sees it change under it.
 */
import jsonpatch from 'fast-json-patch';
import type { JsonPatchOperation } from '../shared.ts';

export class ViewStream<V extends object> {
  private current: V | undefined;

  get view(): V | undefined {
    return this.current;
  }

  whole(view: V): V {
    this.current = view;
    return view;
  }

  /** The patched view, or undefined when the patch does not fit (ask the room for the whole view). */
  patch(ops: JsonPatchOperation[]): V | undefined {
    if (!this.current) return undefined;
    try {
      this.current = jsonpatch.applyPatch(structuredClone(this.current), ops as Parameters<typeof jsonpatch.applyPatch>[1], true, true).newDocument;
      return this.current;
    } catch {
      this.current = undefined;
      return undefined;
    }
  }

  reset(): void {
    this.current = undefined;
  }
}
