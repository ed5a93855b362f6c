/** Alice's transfer order: what it says, and the form her browser posts to the bank (and the bank reads back). */
import type { HttpMessage } from '../handshake/types.ts';

export interface Order {
  pin: string;
  to: string;
  amount: number;
  /** How many digits the form writes the amount with (zeros in front); as many as it has when absent. */
  amountDigits?: number;
}

/** The transfer as Alice's browser sends it: a POST of the form to /transfer. */
export function transferRequest(host: string, order: Order): HttpMessage & { type: 'HttpRequest' } {
  return { type: 'HttpRequest', method: 'POST', host, path: '/transfer', body: orderBody(order) };
}

export function orderBody(order: Order): string {
  return `pin=${order.pin}&to=${order.to}&amount=${String(order.amount).padStart(order.amountDigits ?? 0, '0')}`;
}

/** Parses a transfer form body; undefined when it is not one. */
export function parseOrder(body: string): Order | undefined {
  const params = new URLSearchParams(body);
  const pin = params.get('pin');
  const to = params.get('to');
  const amount = Number(params.get('amount'));
  if (pin === null || to === null || !Number.isFinite(amount)) return undefined;
  return { pin, to, amount };
}
