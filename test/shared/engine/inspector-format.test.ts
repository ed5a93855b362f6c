/**
 * What the packet inspector says the bytes are (GAME.md: levels 1–3 are plain HTTP or the game's
 * own constructions, levels 4–5 are TLS itself): the attacker records a round at each level and
 * reads, for each captured packet, the line above its field tree.
 */
import { describe, expect, it } from 'vitest';
import { simulateRound, viewFor, type AttackerView } from '@heist/shared';
import { honest } from './play.ts';

function captured(level: 1 | 2 | 3 | 4 | 5): AttackerView['captured'] {
  const { round } = simulateRound(level, { ...honest, client: 'careless' }, `format/${level}`);
  return (viewFor(round, 'attacker') as AttackerView).captured;
}
const formatOf = (packets: AttackerView['captured'], label: string) => packets.find((p) => p.label === label)?.format;

describe('the inspector says what the bytes are', () => {
  it('level 1: plain HTTP, not TLS', () => {
    const packets = captured(1);
    expect(packets.length).toBeGreaterThan(0);
    for (const p of packets) expect(p.format, p.label).toMatch(/^Plain HTTP\/1\.1 text \(RFC 9112\), not TLS/);
  });

  it('levels 2 and 3: the game’s own constructions, not TLS, though the records borrow its header', () => {
    for (const [level, key] of [[2, 'KeyTransport'], [3, 'ServerPublicKey']] as const) {
      const packets = captured(level);
      expect(formatOf(packets, key), `level ${level}`).toMatch(/^Not TLS: the game’s own frame/);
      expect(formatOf(packets, 'EncryptedRecord'), `level ${level}`).toMatch(/^Not TLS: the game’s own construction.*0xFF01/);
    }
  });

  it('levels 4 and 5: TLS itself, record → handshake → extension; the first http:// request is still plain HTTP', () => {
    const four = captured(4);
    expect(formatOf(four, 'ClientHello')).toMatch(/^TLS 1\.2 itself \(RFC 5246, TLS_RSA_WITH_AES_128_GCM_SHA256\)/);
    expect(formatOf(four, 'HttpRequest')).toMatch(/^Plain HTTP/);
    const hello = four.find((p) => p.label === 'ClientHello')!;
    expect(hello.fields.map((f) => f.path)).toEqual(['record']);
    const handshake = hello.fields[0]!.children!.find((f) => f.path === 'handshake')!;
    const extensions = handshake.children!.find((f) => f.path === 'extensions')!;
    expect(extensions.children!.map((e) => e.value)).toContain('server_name');
    const five = captured(5);
    expect(formatOf(five, 'ClientHello')).toMatch(/^TLS 1\.3 itself \(RFC 8446/);
    expect(formatOf(five, 'EncryptedRecord')).toMatch(/^TLS 1\.3 itself/);
  });
});
