/**
 * Join attempts are counted per address before Colyseus' matchmaker runs, so guessing room
 * codes is slow. (Its own file: Colyseus allows one server per process.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { bootServer, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ limits: { joinsPerMinute: 5 } });
});
afterAll(async () => {
  await t.close();
});

describe('join attempts', () => {
  it('are refused beyond the limit with HTTP 429, and the limit covers creating rooms too', async () => {
    const client = new Client(t.url);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => client.joinById('ZZZZZ', { nickname: 'Guess' })));
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? String(o.reason?.message) : 'joined'));
    expect(reasons.filter((r) => /Too many attempts/.test(r)).length).toBe(3);
    expect(reasons.filter((r) => !/Too many attempts/.test(r)).every((r) => r !== 'joined')).toBe(true);
    await expect(client.create('game', { nickname: 'Maker' })).rejects.toThrow(/Too many attempts/);
  });
});
