/** Level 2 — One key: AES-256-GCM records, their key sent in the clear first. */
import { noTrial, sessionKeyTrial, type Recording } from '../attacker/recording.ts';
import { level2Client, level2Server } from '../handshake/level2-symmetric.ts';
import { clientSide, serverSide } from '../handshake/machine.ts';
import { LEVEL2_TEXTS } from './texts/level2-one-key.ts';
import { ONE_KEY_TOOLS } from './tools.ts';
import { BOT_ATTACKS } from './bot-plans.ts';
import { EVENTS_OFFERED } from '../basics/teaching-map.ts';
import type { LevelModule } from './types.ts';

function tryKey(r: Recording, key: Uint8Array) {
  const opened = sessionKeyTrial(r, key);
  return opened.size > 0 ? { opened, recovered: { 'AES-256 session key': key }, explanation: `the key opened ${opened.size} record(s)` } : noTrial('this key opens none of the records');
}

export const LEVEL2: LevelModule = {
  level: 2,
  keyExchange: 'plaintextKey',
  encryptionKeyType: 'x25519',
  protection: 'keyInTheClear',
  caPlays: false,
  httpFirst: false,
  checks: ['record', 'sequence'],
  attackerTools: ONE_KEY_TOOLS,
  personas: [],
  attacks: ['none', 'passive', 'tamper', 'replay'],
  botAttack: BOT_ATTACKS[2],
  /** A key card agreed in advance and AES-CTR records: encryption without integrity. */
  events: EVENTS_OFFERED[2],
  clientHandshakeRecords: 0,
  client: clientSide(level2Client),
  server: serverSide(level2Server),
  tryKey,
  texts: LEVEL2_TEXTS,
};
