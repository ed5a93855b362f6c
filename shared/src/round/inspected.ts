/** Decoding shared by the views and the secrets: each packet's bytes are inspected once. */
import { inspectMessage } from '../messages/codec.ts';
import type { Message } from '../messages/types.ts';

/** Caches a pure function of an object that never changes once made. */
export function memo<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) cache.set(key, (value = compute(key)));
    return value;
  };
}

// Packets, decrypted messages and certificates never change once made (an edit replaces a
// packet's bytes), and every seat's view decodes the same ones after each change: once each.
export const inspect = memo((bytes: Uint8Array) => inspectMessage(bytes));

/** A message in a few words, as the views and the PIN search read it. */
export function describe(m: Message): string {
  switch (m.type) {
    case 'HttpRequest':
      return `${m.method} ${m.path} (${m.host}) ${m.body}`;
    case 'HttpResponse':
      return `${m.status} ${m.body}`;
    default:
      return m.type;
  }
}
