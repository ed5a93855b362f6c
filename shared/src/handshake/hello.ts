/**
 * Reading and writing the hello extensions the game's machines use (RFC 8446 §4.2; RFC 6066 §3
 * server_name; RFC 5746 renegotiation_info), so the machines never walk extension lists.
 */
import type { Extension, KeyShareEntry, MessageOf } from '../messages/types.ts';

type Hello = MessageOf<'ClientHello'> | MessageOf<'ServerHello'> | MessageOf<'HelloRetryRequest'> | MessageOf<'EncryptedExtensions'>;

function find<T extends Extension['type']>(m: Hello, type: T): Extract<Extension, { type: T }> | undefined {
  return m.extensions.find((e): e is Extract<Extension, { type: T }> => e.type === type);
}

/** The name a ClientHello asks for (SNI), or undefined when it sends none. */
export function serverNameOf(hello: MessageOf<'ClientHello'>): string | undefined {
  return find(hello, 'server_name')?.hostName;
}

/** RFC 7627: whether a TLS 1.2 hello carries extended_master_secret. */
export function hasExtendedMasterSecret(hello: Hello): boolean {
  return find(hello, 'extended_master_secret') !== undefined;
}

/** The key share for `group` (a ClientHello's offer or a ServerHello's answer). */
export function keyShareOf(hello: Hello, group: number): Uint8Array | undefined {
  return find(hello, 'key_share')?.shares.find((s: KeyShareEntry) => s.group === group)?.key;
}

/** The groups of every key share in a hello. */
export function keyShareGroups(hello: Hello): number[] {
  return find(hello, 'key_share')?.shares.map((s) => s.group) ?? [];
}

/** The versions a ClientHello offers in supported_versions, or the one a ServerHello chose. */
export function supportedVersions(hello: Hello): number[] {
  return find(hello, 'supported_versions')?.versions ?? [];
}

/** The schemes a ClientHello says it can verify; RFC 5246 §7.4.1.4.1's default when absent. */
export function signatureSchemes(hello: MessageOf<'ClientHello'>): number[] | undefined {
  return find(hello, 'signature_algorithms')?.schemes;
}

export function supportedGroups(hello: MessageOf<'ClientHello'>): number[] | undefined {
  return find(hello, 'supported_groups')?.groups;
}

/** The hello's extensions with one replaced (or added at the end). */
export function withExtension<H extends Hello>(hello: H, ext: Extension): H {
  const i = hello.extensions.findIndex((e) => e.type === ext.type);
  const extensions = [...hello.extensions];
  if (i >= 0) extensions[i] = ext;
  else extensions.push(ext);
  return { ...hello, extensions };
}
