/** The attacker's tools, grouped as the level modules offer them. */
import type { AttackerActionType } from '../basics/actions.ts';

/** On any Wi-Fi: hold, pass, drop, change, repeat and forge packets, prove a stolen secret, say she is done. */
export const WIRE_TOOLS = ['ready', 'setIntercept', 'forward', 'forwardAll', 'drop', 'editField', 'editBytes', 'replay', 'inject', 'submitSecret', 'done'] as const satisfies readonly AttackerActionType[];
/** Where something is encrypted: try a key on it. */
export const KEY_TOOLS = [...WIRE_TOOLS, 'tryKey'] as const satisfies readonly AttackerActionType[];
/** One key (level 2): also flip bits at the end of a record she cannot read (AES-CTR passes them on; a tag refuses them). */
export const ONE_KEY_TOOLS = [...KEY_TOOLS, 'flipBits'] as const satisfies readonly AttackerActionType[];
/** Where a key is exchanged: pose as the bank with a key (or certificate) of her own. */
export const PROXY_TOOLS = [...KEY_TOOLS, 'substitute'] as const satisfies readonly AttackerActionType[];
/** Where HTTPS and a CA exist: also strip HTTPS from a first visit, and ask the CA for certificates. */
export const HTTPS_TOOLS = [...PROXY_TOOLS, 'strip', 'requestCertificate'] as const satisfies readonly AttackerActionType[];
