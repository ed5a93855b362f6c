/**
 * A frame the gate refuses (too large, or over the rate) is never decoded: the sender is told
 * why and stays in the room. Each frame here is junk that no decoder takes — were it decoded
 * after the refusal, Colyseus would cut the sender off for it. Real websockets; the room's clock
 * is driven, so the rate limit refills only when the test says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@heist/shared';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';
import { bootServer, Person, until, type TestServer } from './helpers.ts';

const PER_SECOND = 1;
const clock = new ManualScheduler();
let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ scheduler: clock, limits: { messagesPerSecond: PER_SECOND } });
});
afterAll(async () => {
  await t.close();
});

/** A room message as colyseus.js frames it (ROOM_DATA, the type as a short string), its body bytes no MessagePack decoder reads (0xc1 is never used). */
function junkFrame(type: string, length: number): Uint8Array {
  const name = new TextEncoder().encode(type);
  return new Uint8Array([13, 0xa0 | name.length, ...name, ...new Uint8Array(length).fill(0xc1)]);
}

function sendRaw(person: Person, frame: Uint8Array): void {
  (person.room.connection as unknown as { send(data: Uint8Array): void }).send(frame);
}

/** The person is still in the room, and the server reads what they send next: a message of no known type is answered. */
async function stillHeard(person: Person, host: Person): Promise<void> {
  clock.advance(10_000); // the rate limit refills
  const answered = person.errors.length;
  person.send('noSuchMessage', {});
  await until('the next message answered', () => person.errors.slice(answered).find((e) => e.code === 'unknownMessage'));
  expect(person.left).toBeUndefined();
  expect(host.state.members.has(person.room.sessionId)).toBe(true);
}

describe('a frame the gate refuses', () => {
  it('too large: the sender gets tooLarge and stays in the room; the frame is never decoded', async () => {
    const host = await Person.create(t.url, 'Host');
    const rogue = await Person.join(t.url, host.room.roomId, 'Rogue');
    await until('the host sees her join', () => host.state.members.has(rogue.room.sessionId));
    sendRaw(rogue, junkFrame('action', LIMITS.maxMessageBytes + 100));
    expect((await rogue.nextError()).code).toBe('tooLarge');
    await stillHeard(rogue, host);
  });

  it('over the rate: the sender gets rateLimited and stays in the room; the frame is never decoded', async () => {
    const host = await Person.create(t.url, 'Host');
    const rogue = await Person.join(t.url, host.room.roomId, 'Rogue');
    await until('the host sees her join', () => host.state.members.has(rogue.room.sessionId));
    clock.advance(10_000); // a full bucket
    // The clock stands still: messages, one at a time, until one is refused for the rate.
    for (let sent = 0; !rogue.errors.some((e) => e.code === 'rateLimited'); sent++) {
      expect(sent).toBeLessThan(10);
      rogue.send('noSuchMessage', {});
      await until('an answer', () => rogue.errors.length > sent);
    }
    // A second later: one message's worth, spent on an answered message; the junk after it is over the rate.
    clock.advance(1_000);
    const answered = rogue.errors.length;
    rogue.send('noSuchMessage', {});
    expect((await until('an answer', () => rogue.errors[answered])).code).toBe('unknownMessage');
    sendRaw(rogue, junkFrame('action', 16));
    expect((await rogue.nextError()).code).toBe('rateLimited');
    await stillHeard(rogue, host);
  });
});
