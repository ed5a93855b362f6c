/**
 * Level 1 — Postcard: plain HTTP (RFC 9110). No handshake: both sides are in Traffic with no
 * keys from the start, so every byte is readable and editable on the wire.
 */
import type { ClientMachine, ServerMachine } from './machine.ts';
import { emptyOutput, type Traffic } from './types.ts';

const plain = (): Traffic => ({ kind: 'Traffic', sendKeys: null, receiveKeys: null });
const nothing = (state: never): never => state;

export const level1Client: ClientMachine<never> = {
  start() {
    const out = emptyOutput();
    out.log.push('Plain HTTP: no handshake, no keys. Everything you send travels like a postcard.');
    return { state: plain(), out };
  },
  receive: nothing,
  decide: nothing,
  awaitsDecision: nothing,
};

export const level1Server: ServerMachine<never> = {
  initial: plain,
  receive: nothing,
  listening: nothing,
};
