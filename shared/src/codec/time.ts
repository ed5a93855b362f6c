/** Game time is seconds since 1970 (like X.509's UTCTime, RFC 5280 §4.1.2.5), shown as a UTC date. */
export function formatGameTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
