/**
 * Level 1 — Postcard: plain HTTP (RFC 9110). No handshake: both sides are in Traffic with no
 * keys from the start, so every byte is readable and editable on the wire.
 */
import { emptyOutput, type Step, type Traffic } from './types.ts';

export type Level1State = Traffic;

export function level1ClientStart(): Step<Traffic> {
  const out = emptyOutput();
  out.log.push('Plain HTTP: no handshake, no keys. Everything you send travels like a postcard.');
  return { state: { kind: 'Traffic', sendKeys: null, receiveKeys: null }, out };
}

export function level1ServerInitial(): Traffic {
  return { kind: 'Traffic', sendKeys: null, receiveKeys: null };
}
