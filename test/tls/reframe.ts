/**
 * A relay that holds the session's key log, as Wireshark would, and so can do what a plain
 * relay cannot: re-frame *encrypted* handshake messages. It opens each protected record with
 * the sender's keys, joins the handshake bytes inside, and seals them again in other records —
 * cut into pieces of a few bytes, or (TLS 1.3) a whole flight in one record — counting its own
 * sequence numbers, so every later record of that direction is sealed again too. RFC 8446 §5.1
 * and RFC 5246 §6.2.1 allow a sender to frame handshake messages either way; other
 * implementations do (a long certificate chain always runs across records).
 *
 * The key log comes from whichever end can tell the secrets before the relay needs them: a
 * direction's keys must be logged by the time that direction's first protected record arrives.
 * A direction without a plan passes through untouched.
 */
import { concat, fromHex } from '../../shared/src/codec/bytes.ts';
import { tls12KeyBlock } from '../../shared/src/crypto/tls12-prf.ts';
import { tls13TrafficKeys } from '../../shared/src/crypto/tls13-key-schedule.ts';
import { CONTENT_TYPE, openRecord, sealRecord, type ContentType, type RecordKeys } from '../../shared/src/handshake/record.ts';
import { decodeMessage, encodeMessage } from '../../shared/src/messages/codec.ts';
import type { RecordContentType } from '../../shared/src/messages/types.ts';
import type { RawRecord } from '../../tools/tls/records.ts';
import { recordRelay, type Direction } from './proxy.ts';

/** How one direction's encrypted handshake messages are framed again: cut into pieces of `split` bytes, or (TLS 1.3) the flight up to Finished in one record. */
export type Framing = { split: number } | 'coalesce';

/** Extra handshake bytes put right after a direction's Finished, in its record (a message spanning a key change, RFC 8446 §5.1). */
export interface Plan {
  toServer?: Framing;
  toClient?: Framing;
  afterFinished?: { direction: Direction; bytes: Uint8Array };
}

export interface KeyedRelay {
  port: number;
  /** Records this relay sealed again with handshake content of another framing. */
  readonly reframed: number;
  close(): Promise<void>;
}

const TYPE_NAME: Record<number, RecordContentType> = { 21: 'alert', 22: 'handshake', 23: 'applicationData' };

interface Side {
  open?: RecordKeys;
  seal?: RecordKeys;
  /** Handshake bytes opened and not yet sealed again. */
  pending: Uint8Array;
  /** TLS 1.2: the sender's ChangeCipherSpec went by; TLS 1.3: its handshake keys are in use. */
  protected: boolean;
  /** TLS 1.3: its Finished went by, so its application keys are next. */
  finished: boolean;
}

/** The last key log line with this label and client random. */
function secret(keyLog: readonly string[], label: string, clientRandom: string): Uint8Array {
  const line = [...keyLog].reverse().find((l) => l.startsWith(`${label} ${clientRandom} `));
  if (!line) throw new Error(`the key log has no ${label} yet: the relay cannot open this record`);
  return fromHex(line.split(' ')[2]!);
}

const tls13Keys = (trafficSecret: Uint8Array): RecordKeys => ({ style: 'tls13', ...tls13TrafficKeys(trafficSecret), seq: 0 });

/** The whole handshake messages at the start of `bytes` and where they end. */
function wholeMessages(bytes: Uint8Array): { types: number[]; end: number } {
  const types: number[] = [];
  let at = 0;
  while (bytes.length - at >= 4) {
    const length = (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (bytes.length - at < 4 + length) break;
    types.push(bytes[at]!);
    at += 4 + length;
  }
  return { types, end: at };
}

export async function keyedRelay(target: number, keyLog: readonly string[], plan: Plan): Promise<KeyedRelay> {
  let reframed = 0;
  const listening = await recordRelay(target, () => {
    let clientRandom = '';
    let serverRandom: Uint8Array = new Uint8Array(0);
    let tls13 = false;
    const sides: Record<Direction, Side> = {
      toServer: { pending: new Uint8Array(0), protected: false, finished: false },
      toClient: { pending: new Uint8Array(0), protected: false, finished: false },
    };

    const seal = (side: Side, plaintext: Uint8Array, type: ContentType): Uint8Array => {
      const sealed = sealRecord(side.seal!, plaintext, type);
      side.seal = sealed.next;
      return encodeMessage(sealed.record);
    };

    const tls12Keys = (direction: Direction): RecordKeys => {
      const block = tls12KeyBlock(secret(keyLog, 'CLIENT_RANDOM', clientRandom), fromHex(clientRandom), serverRandom, 16, 4);
      return direction === 'toServer' ? { style: 'tls12', key: block.clientWriteKey, iv: block.clientWriteIv, seq: 0 } : { style: 'tls12', key: block.serverWriteKey, iv: block.serverWriteIv, seq: 0 };
    };

    /** Seals again what of the pending handshake bytes the framing lets go now. */
    const flush = (direction: Direction, side: Side, all: boolean): Uint8Array[] => {
      const framing = plan[direction];
      const { types, end } = wholeMessages(side.pending);
      const finishedAt = types.indexOf(20);
      let take = end;
      if (framing === 'coalesce' && !all && tls13 && !side.finished && finishedAt < 0) take = 0; // hold the flight until its Finished
      if (take === 0) return [];
      let bytes = side.pending.subarray(0, take);
      side.pending = side.pending.slice(take);
      const extra = plan.afterFinished?.direction === direction && finishedAt >= 0 ? plan.afterFinished.bytes : new Uint8Array(0);
      if (extra.length > 0) bytes = concat(bytes, extra);
      const size = framing && framing !== 'coalesce' ? framing.split : bytes.length;
      const out: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) out.push(seal(side, bytes.subarray(at, at + size), CONTENT_TYPE.handshake));
      if (framing || extra.length > 0) reframed += out.length;
      if (tls13 && finishedAt >= 0 && !side.finished) {
        side.finished = true;
        const label = direction === 'toClient' ? 'SERVER_TRAFFIC_SECRET_0' : 'CLIENT_TRAFFIC_SECRET_0';
        side.open = tls13Keys(secret(keyLog, label, clientRandom));
        side.seal = { ...side.open };
      }
      return out;
    };

    const forward = (record: RawRecord, direction: Direction): Uint8Array[] => {
      const side = sides[direction];
      const planned = plan[direction] !== undefined || plan.afterFinished?.direction === direction;
      if (record.type === 22 && !side.protected) {
        const hello = decodeMessage(record.bytes, { lenient: true });
        if (hello.type === 'ClientHello') clientRandom = Buffer.from(hello.random).toString('hex');
        if (hello.type === 'ServerHello') {
          serverRandom = hello.random;
          tls13 = hello.extensions.some((e) => e.type === 'supported_versions' && e.versions[0] === 0x0304);
          if (tls13) sides.toServer.protected = sides.toClient.protected = true;
        }
        return [record.bytes];
      }
      if (record.type === 20) {
        if (!tls13) side.protected = true;
        if (!tls13 && planned) {
          side.open = tls12Keys(direction);
          side.seal = { ...side.open };
        }
        return [record.bytes];
      }
      if (!side.protected || !planned) return [record.bytes];
      if (!side.open) {
        // TLS 1.3: the handshake keys, looked up when the direction's first protected record arrives (its sender has logged them by then).
        side.open = tls13Keys(secret(keyLog, direction === 'toClient' ? 'SERVER_HANDSHAKE_TRAFFIC_SECRET' : 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientRandom));
        side.seal = { ...side.open };
      }
      const opened = openRecord(side.open!, { type: 'EncryptedRecord', contentType: TYPE_NAME[record.type]!, fragment: record.fragment });
      if (!opened.ok) throw new Error(`the relay could not open a ${direction} record: ${opened.failure.reason}`);
      side.open = opened.next;
      if (opened.contentType === CONTENT_TYPE.handshake) {
        side.pending = concat(side.pending, opened.plaintext);
        return flush(direction, side, false);
      }
      return [...flush(direction, side, true), seal(side, opened.plaintext, opened.contentType as ContentType)];
    };

    return forward;
  });
  return {
    ...listening,
    get reframed() {
      return reframed;
    },
  };
}
