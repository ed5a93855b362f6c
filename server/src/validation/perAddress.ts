/**
 * Per-address bookkeeping for the caps on sockets, seat reservations and rooms. An address is
 * a whole school behind its NAT, so the caps are sized for a class, not for one person; they
 * stop one machine (or one script) from taking what every class needs.
 */
import { isIPv6 } from 'node:net';

/**
 * The key an address is counted under: IPv4 as is (also when it arrives IPv4-mapped, as
 * `::ffff:10.0.0.7`), IPv6 by its /64, which one household or school is given whole and can
 * hop around in.
 */
export function addressKey(remote: string | undefined): string {
  if (!remote) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  if (mapped) return mapped[1]!;
  if (!isIPv6(remote)) return remote;
  return `${expandIPv6(remote).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const zeros = tail !== undefined ? Array(8 - left.length - right.length).fill('0') : [];
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * What each address holds right now (open rooms, unclaimed seat reservations), each item
 * counted while `stillHeld` says so: nothing has to remember to give a hold back.
 */
export class Holdings<T> {
  private readonly byKey = new Map<string, T[]>();

  constructor(
    readonly cap: number,
    private readonly stillHeld: (item: T) => boolean,
  ) {}

  count(key: string): number {
    const items = this.byKey.get(key)?.filter(this.stillHeld) ?? [];
    if (items.length > 0) this.byKey.set(key, items);
    else this.byKey.delete(key);
    return items.length;
  }

  full(key: string): boolean {
    return this.count(key) >= this.cap;
  }

  add(key: string, item: T): void {
    const items = this.byKey.get(key);
    if (items) items.push(item);
    else this.byKey.set(key, [item]);
  }

  /** Forget addresses that hold nothing any more. */
  sweep(): void {
    for (const key of [...this.byKey.keys()]) this.count(key);
  }
}
