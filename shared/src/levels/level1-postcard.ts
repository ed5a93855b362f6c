/** Level 1 — Postcard: plain HTTP. Nothing to exchange, nothing to check, everything readable. */
import { noTrial } from '../attacker/recording.ts';
import { level1Client, level1Server } from '../handshake/level1-http.ts';
import { clientSide, serverSide } from '../handshake/machine.ts';
import { LEVEL1_TEXTS } from './texts/level1-postcard.ts';
import { WIRE_TOOLS } from './tools.ts';
import { BOT_ATTACKS } from './bot-plans.ts';
import type { LevelModule } from './types.ts';

export const LEVEL1: LevelModule = {
  level: 1,
  keyExchange: 'none',
  encryptionKeyType: 'x25519',
  protection: 'plainHttp',
  caPlays: false,
  httpFirst: false,
  checks: [],
  attackerTools: WIRE_TOOLS,
  personas: [],
  attacks: ['none', 'passive', 'tamper', 'replay'],
  botAttack: BOT_ATTACKS[1],
  clientHandshakeRecords: 0,
  client: clientSide(level1Client),
  server: serverSide(level1Server),
  tryKey: () => noTrial('nothing is encrypted at level 1: just read the packets'),
  texts: LEVEL1_TEXTS,
};
