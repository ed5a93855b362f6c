/**
 * What this browser keeps between pages and visits, and why: the rooms' reconnection tokens
 * (this tab, for a reload), each class's player token (this device: rejoin as the same
 * player tomorrow), the teacher key (this browser session, or this computer if the teacher
 * asks), a device key (a casual room knows the same person coming back) and the last nickname.
 */
import { LIMITS } from '../shared.ts';

const TOKEN_KEY = 'heist.reconnect';

export interface StoredTokens {
  game?: { token: string; practice: boolean };
  /** The class lobby: its token, and what rejoins it if the token is no longer good (the code, this player's id). */
  class?: { token: string; isTeacher: boolean; teacherSecret?: string; code?: string; playerId?: string };
}

export function readTokens(): StoredTokens {
  try {
    return JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? '{}') as StoredTokens;
  } catch {
    return {};
  }
}
export function writeTokens(tokens: StoredTokens): void {
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(tokens));
}

/** The nickname last typed on this device (kept so a class assignment can rejoin with it). */
export function readNickname(): string {
  return sessionStorage.getItem('heist.nickname') ?? '';
}
export function rememberNickname(nickname: string): void {
  sessionStorage.setItem('heist.nickname', nickname);
}

/**
 * A random key this browser keeps: a casual room knows the same person coming back (their seat
 * is theirs again) and a second tab replaces the first rather than taking a second seat.
 */
export function deviceKey(): string {
  let key = localStorage.getItem('heist.device');
  if (!key || !LIMITS.deviceKeyPattern.test(key)) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    key = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    localStorage.setItem('heist.device', key);
  }
  return key;
}

/** Kept across reloads and restarts of the browser, per class: rejoin as the same player. */
export function readPlayerToken(classCode: string): string | undefined {
  return localStorage.getItem(`heist.player.${classCode}`) ?? undefined;
}
export function rememberPlayerToken(classCode: string, token: string): void {
  localStorage.setItem(`heist.player.${classCode}`, token);
}
interface TeacherKey {
  code: string;
  teacherSecret: string;
}
const TEACHER_KEY = 'heist.teacher';

/**
 * The last class taught in this browser session, or remembered on this computer, so the landing
 * page can offer to reopen it. On a shared computer (the projector laptop) the next person must
 * not find the dashboard one click away: the key lives in sessionStorage (gone when the browser
 * closes) unless the teacher ticked "remember on this computer".
 */
export function lastTaughtClass(): TeacherKey | undefined {
  return readTeacherKey(sessionStorage) ?? rememberedTeacherKey();
}
export function rememberedTeacherKey(): TeacherKey | undefined {
  const kept = readTeacherKey(localStorage);
  // A key an earlier version kept here without being asked to is dropped.
  if (kept && !(kept as { remember?: boolean }).remember) return void localStorage.removeItem(TEACHER_KEY);
  return kept;
}
function readTeacherKey(storage: Storage): TeacherKey | undefined {
  try {
    const v = JSON.parse(storage.getItem(TEACHER_KEY) ?? 'null') as TeacherKey | null;
    return v && typeof v.code === 'string' && typeof v.teacherSecret === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
export function keepTeacherKey(key: TeacherKey, remember: boolean): void {
  sessionStorage.setItem(TEACHER_KEY, JSON.stringify(key));
  if (remember) localStorage.setItem(TEACHER_KEY, JSON.stringify({ ...key, remember: true }));
  else localStorage.removeItem(TEACHER_KEY);
}
export function forgetTeacherKey(): void {
  sessionStorage.removeItem(TEACHER_KEY);
  localStorage.removeItem(TEACHER_KEY);
}
export function forgetPlayerToken(classCode: string): void {
  localStorage.removeItem(`heist.player.${classCode}`);
}
