/**
 * RFC 7627's extended master secret in the game: at level 4e Alice's browser offers it, as
 * browsers do, the bank agrees, and the inspector says what it binds and which attack it stops;
 * level 4 keeps to RFC 5246 alone (a changed hello field that feeds no key is Finished's to
 * catch, teaching-verdicts.test.ts). Agreement with OpenSSL: test/tls/extended-master-secret.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { simulateRound, viewFor, type AttackerView, type FieldNode, type MessageOf } from '@heist/shared';
import { decodeMessage } from '../../../shared/src/messages/codec.ts';
import { honest } from './play.ts';

const nodes = (list: readonly FieldNode[]): FieldNode[] => list.flatMap((n) => [n, ...nodes(n.children ?? [])]);

function hellos(level: 4 | 6) {
  const { round } = simulateRound(level, { ...honest, attacker: 'passive' }, `ems/${level}`);
  expect(round.result?.outcome).toBe('secure');
  const find = <T extends 'ClientHello' | 'ServerHello'>(type: T) => round.packets.map((p) => decodeMessage(p.bytes)).find((m): m is MessageOf<T> => m.type === type)!;
  return { round, clientHello: find('ClientHello'), serverHello: find('ServerHello') };
}
const offers = (m: { extensions: { type: string }[] }) => m.extensions.some((e) => e.type === 'extended_master_secret');

describe('the extended master secret (RFC 7627)', () => {
  it('level 4e: both hellos carry it, both sides say so, and the inspector says what it binds and the attack it stops', () => {
    const { round, clientHello, serverHello } = hellos(6);
    expect([offers(clientHello), offers(serverHello)]).toEqual([true, true]);
    const said = round.timeline.filter((e) => e.text === 'Extended master secret (RFC 7627): the master secret is made from a hash of every handshake message so far, so it belongs to this handshake alone.');
    expect(said.map((e) => e.actor).sort()).toEqual(['client', 'server']);
    const captured = (viewFor(round, 'attacker') as AttackerView).captured.find((p) => p.label === 'ClientHello')!;
    const extension = nodes(captured.fields).find((n) => n.value === 'extended_master_secret');
    expect(extension?.explain).toMatch(/^extended_master_secret \(RFC 7627, TLS 1\.2\): the master secret is made from a hash of every handshake message up to the key exchange/);
    expect(extension?.explain).toMatch(/the triple-handshake attack/);
  });

  it('level 4: the seed’s TLS 1.2 (RFC 5246 alone) neither offers nor agrees it', () => {
    const { clientHello, serverHello } = hellos(4);
    expect([offers(clientHello), offers(serverHello)]).toEqual([false, false]);
  });
});
