/**
 * The item at `index` of a list the test built or read, or a failure that says what was
 * missing: a test that expects the item there stops at once, rather than on `undefined` later.
 */
export function nth<T>(items: readonly T[], index: number, what = 'item'): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no ${what} ${index} (there are ${items.length})`);
  return item;
}
