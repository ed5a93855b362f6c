/**
 * Each packet is decoded once and the decoding shared: the engine delivers the message the views
 * show (round/inspected.ts). That is only sound while nothing changes a decoded message: after
 * whole rounds of every level × attacker behaviour, every packet's shared decoding must still
 * equal a fresh decoding of its bytes, message and field tree alike.
 */
import { describe, expect, it } from 'vitest';
import { ATTACKER_BEHAVIOURS, inspectMessage, LEVELS, simulateRound, viewFor, ROLES } from '@heist/shared';
import { inspect } from '../../../shared/src/round/inspected.ts';

describe('a packet decoded once for the engine and every view', () => {
  for (const level of LEVELS) {
    it(`level ${level}: no attack, no round, changes a decoded packet`, () => {
      // A careless client and a sloppy CA: every attack goes as far as it can.
      for (const attacker of ATTACKER_BEHAVIOURS) {
        const { round } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'sloppy', attacker }, `decoded-once/${level}/${attacker}`);
        for (const role of ROLES) viewFor(round, role);
        for (const p of round.packets) expect(inspect(p.bytes), `level ${level}, ${attacker}, packet #${p.id}`).toEqual(inspectMessage(p.bytes));
      }
    });
  }
});
