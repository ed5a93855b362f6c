/**
 * A HelloRetryRequest in a round (RFC 8446 §4.1.4), as a student meets it: the attacker changes
 * the group of Alice's key share to one the bank does not speak (x448). The bank has no share it
 * can use, and asks again for one in a group she lists — X25519, the very group she had sent —
 * so her browser refuses that request with illegal_parameter (§4.2.8). The inspector names the
 * HelloRetryRequest and says what its fixed random and its selected group are.
 */
import { describe, expect, it } from 'vitest';
import type { AttackerView, FieldNode } from '@heist/shared';
import { alertsFrom, attack, editOnce, fieldPath, heldOf, startRound } from './play.ts';

function leaves(nodes: readonly FieldNode[]): FieldNode[] {
  return nodes.flatMap((n) => (n.children?.length ? [n, ...leaves(n.children)] : [n]));
}

describe('level 5: a key share changed to a group the bank does not speak', () => {
  it('the bank sends a HelloRetryRequest; Alice refuses it (it asks for the X25519 share she sent): illegal_parameter', () => {
    const round = startRound(5, 'hello-retry/x448');
    let last: AttackerView | undefined;
    const edit = editOnce(heldOf('ClientHello'), (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, 'group'), value: '0x001e' }));
    attack(round, (v) => {
      last = v;
      return edit(v);
    });
    expect(round.server.failure).toEqual({ reason: 'peerAlert', description: 'illegal_parameter' });
    expect(round.client.failure).toEqual({ reason: 'badHelloRetry', detail: 'the HelloRetryRequest asks for a share in X25519, which we already sent' });
    expect(alertsFrom(round, 'client')).toEqual(['illegal_parameter']);
    expect(round.result?.outcome).toBe('attackDetected');

    const retry = last!.captured.find((p) => p.label === 'HelloRetryRequest');
    expect(retry?.from).toBe('server');
    const fields = leaves(retry!.fields);
    const field = (path: string) => fields.find((f) => f.path === path);
    expect(field('handshakeType')).toMatchObject({ value: 'HelloRetryRequest (2, a ServerHello)', explain: expect.stringMatching(/^hello_retry_request .* asks the client to send its ClientHello again/) });
    expect(field('random')?.explain).toMatch(/^Not random: the fixed value SHA-256\("HelloRetryRequest"\) marks this ServerHello as a HelloRetryRequest/);
    expect(fields.find((f) => f.name === 'group')).toMatchObject({ value: 'x25519 (0x001d)', explain: expect.stringMatching(/^selected_group: the one group the server asks a key share for/) });
  });
});
