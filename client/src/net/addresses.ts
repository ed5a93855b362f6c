/**
 * Where students can reach the game server. A page opened at localhost is the teacher's own
 * laptop, unreachable from the students' ones: then the server's own list (its LAN addresses,
 * or PUBLIC_URL) comes first; otherwise the address this page came from.
 */

/** The origins to offer students, best first, without repeats. */
export function orderOrigins(endpoint: string, listedUrls: readonly string[]): string[] {
  const own = new URL(endpoint).origin;
  const listed = listedUrls.map((u) => new URL(u).origin);
  const ordered = isLoopback(own) ? [...listed.filter((o) => !isLoopback(o)), own] : [own, ...listed];
  return [...new Set(ordered)];
}

/** Where students join a class, for the projector's QR code. */
export function joinUrl(origin: string, code: string): string {
  const url = new URL(origin.replace(/\/?$/, '/'));
  url.searchParams.set('class', code);
  return url.toString();
}

function isLoopback(origin: string): boolean {
  const host = new URL(origin).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}
