/**
 * Who knows which secret of the round, by the engine's own account: the referee asks whether a
 * seat read the PIN, the privacy tests ask what a seat must never see.
 */
import { toHex, utf8 } from '../codec/bytes.ts';
import type { Role } from '../basics/roles.ts';
import { describe, inspect } from './inspected.ts';
import type { Packet, Round } from './state.ts';

/** What a party's key is at this level: its encryption key is X25519 or RSA-2048 (create.ts), its signing key ECDSA P-256. */
export function keyName(round: Round, key: 'encryptionKey' | 'signingKey'): string {
  if (key === 'signingKey') return 'ECDSA P-256 signing key';
  return round.module.encryptionKeyType === 'rsa' ? 'RSA-2048 private key' : 'X25519 private key';
}

export interface Secret {
  label: string;
  value: Uint8Array;
}

/**
 * Every secret in the round that `role` does not legitimately know, by the engine's own
 * account of who learned what. The frame-recording test asserts none reaches that seat.
 */
export function secretsHiddenFrom(round: Round, role: Role): Secret[] {
  const { client, server, ca, attacker } = round;
  const owned: { owner: Role; label: string; value: Uint8Array }[] = [
    { owner: 'server', label: `bank ${keyName(round, 'encryptionKey')}`, value: server.config.encryptionKey.secretKey },
    { owner: 'server', label: `bank ${keyName(round, 'signingKey')}`, value: server.config.signingKey.secretKey },
    { owner: 'ca', label: 'CA signing key', value: ca.keys.secretKey },
    { owner: 'attacker', label: `attacker ${keyName(round, 'encryptionKey')}`, value: attacker.encryptionKey.secretKey },
    { owner: 'attacker', label: `attacker ${keyName(round, 'signingKey')}`, value: attacker.signingKey.secretKey },
    { owner: 'attacker', label: 'attacker root key', value: attacker.rootKey.secretKey },
  ];
  if (ca.issuing.chain.length > 0) owned.push({ owner: 'ca', label: `${ca.issuing.name} signing key`, value: ca.issuing.keys.secretKey });
  const learned: Record<Role, Record<string, Uint8Array>> = { client: client.learned, server: server.learned, ca: {}, attacker: attacker.learned };
  for (const r of ['client', 'server', 'attacker'] as const) for (const [label, value] of Object.entries(learned[r])) owned.push({ owner: r, label, value });
  const knownHex = new Set<string>();
  for (const o of owned) if (o.owner === role) knownHex.add(toHex(o.value));
  // The attacker also knows whatever crossed her Wi-Fi in the clear (the level-2 key, say).
  const wire = role === 'attacker' ? round.attacker.captured.map((id) => toHex(round.packets[id - 1]!.bytes)).join('|') : '';
  const known = (o: { value: Uint8Array }) => knownHex.has(toHex(o.value)) || (wire !== '' && wire.includes(toHex(o.value)));
  const hidden = owned.filter((o) => o.owner !== role && !known(o)).map((o) => ({ label: `${o.owner}: ${o.label}`, value: o.value }));
  if (!pinKnownTo(round, role)) {
    // As the form carries it, and as the game writes it in words.
    hidden.push({ label: "client's PIN", value: utf8(`pin=${client.secret}`) }, { label: "client's PIN, in words", value: utf8(`PIN ${client.secret}`) });
  }
  return hidden;
}

/** The seat has read the PIN: opened a record that carries it, or saw it in the clear. */
export function pinKnownTo(round: Round, role: Role): boolean {
  const needle = `pin=${round.client.secret}`;
  switch (role) {
    case 'client':
      return true;
    case 'ca':
      return false;
    case 'server':
      return [...round.server.opened.values()].some((o) => describe(o.message).includes(needle)) || round.packets.some((p) => p.to === 'server' && p.status === 'delivered' && plainText(p).includes(needle));
    case 'attacker':
      return (
        [...round.attacker.opened.values()].some((o) => describe(o.message).includes(needle)) ||
        round.attacker.captured.some((id) => plainText(round.packets[id - 1]!).includes(needle))
      );
  }
}

function plainText(p: Packet): string {
  const m = inspect(p.bytes).message;
  return m ? describe(m) : '';
}
