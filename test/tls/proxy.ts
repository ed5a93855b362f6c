/**
 * The attacker on the wire for the interop tests: a TCP relay between a client and a server
 * that cuts each direction into TLS records (the driver's own RecordReader) and may change a
 * record on the way. No timers: every record is passed on as soon as it is whole.
 */
import net from 'node:net';
import { RecordReader, type RawRecord } from '../../tools/tls/records.ts';

export type Direction = 'toServer' | 'toClient';
/** Returns the bytes to send on instead of the record (the record itself to leave it alone). */
export type Tamper = (record: RawRecord, direction: Direction, seen: RawRecord[]) => Uint8Array;

export interface Relay {
  port: number;
  /** How many records were changed. */
  readonly tampered: number;
  close(): Promise<void>;
}

/** What a relay sends on for each whole record of one connection; throwing cuts the connection. */
export type Forward = (record: RawRecord, direction: Direction) => Uint8Array[];

/** A TCP relay to `target` that hands each whole record to the connection's own `forward`. */
export async function recordRelay(target: number, connection: () => Forward): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: target });
    const forward = connection();
    const pipe = (from: net.Socket, to: net.Socket, direction: Direction) => {
      const reader = new RecordReader();
      from.on('data', (chunk: Buffer) => {
        reader.push(new Uint8Array(chunk));
        try {
          for (let r = reader.next(); r; r = reader.next()) for (const bytes of forward(r, direction)) if (!to.destroyed) to.write(bytes);
        } catch (e) {
          from.destroy(e as Error);
          to.destroy();
        }
      });
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
    };
    pipe(client, upstream, 'toServer');
    pipe(upstream, client, 'toClient');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export async function relay(target: number, tamper: Tamper): Promise<Relay> {
  let tampered = 0;
  const listening = await recordRelay(target, () => {
    const seen: Record<Direction, RawRecord[]> = { toServer: [], toClient: [] };
    return (record, direction) => {
      const out = tamper(record, direction, seen[direction]);
      if (out !== record.bytes) tampered++;
      seen[direction].push(record);
      return [out];
    };
  });
  return {
    ...listening,
    get tampered() {
      return tampered;
    },
  };
}

/** The record with one byte flipped (the last: part of an AEAD tag in a protected record). */
export function flipLast(record: RawRecord): Uint8Array {
  const out = record.bytes.slice();
  out[out.length - 1]! ^= 0x01;
  return out;
}

/** The sender's Finished: TLS 1.2, its first handshake record after its ChangeCipherSpec; TLS 1.3 (client), its first protected record. */
export function isFinished(record: RawRecord, seen: RawRecord[], tls13: boolean): boolean {
  if (tls13) return record.type === 23 && !seen.some((r) => r.type === 23);
  return record.type === 22 && seen.some((r) => r.type === 20) && !seen.some((r, i) => r.type === 22 && seen.slice(0, i).some((c) => c.type === 20));
}
