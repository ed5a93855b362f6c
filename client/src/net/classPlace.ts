/**
 * Who this tab is in its class: the class's code, and either its teacher (holding the teacher
 * key) or a student (with the player id the lobby gave her). Kept in the tab's reconnection
 * record so a reload comes back as the same person; the teacher key is also kept for this
 * browser session, or on this computer if the teacher asks (browserStorage.ts).
 */
import { forgetTeacherKey, keepTeacherKey, rememberedTeacherKey, type StoredTokens } from './browserStorage.ts';

type StoredClass = NonNullable<StoredTokens['class']>;

export class ClassPlace {
  isTeacher = false;
  code: string | undefined;
  teacherSecret: string | undefined;
  playerId: string | undefined;

  /** What rejoins the class as this person, with the class room's reconnection token. */
  record(token: string): StoredClass {
    return { token, isTeacher: this.isTeacher, teacherSecret: this.teacherSecret, code: this.code, playerId: this.playerId };
  }

  /** Back after a reload: who this tab was. */
  restore({ isTeacher, teacherSecret, code, playerId }: StoredClass): void {
    this.isTeacher = isTeacher;
    this.teacherSecret = teacherSecret;
    this.code = code;
    this.playerId = playerId;
  }

  /** The teacher opened the class with its key: kept for this browser session, and on this computer if asked (or already). */
  keepTeacherKey(code: string, teacherSecret: string, remember: boolean): void {
    keepTeacherKey({ code, teacherSecret }, remember || rememberedTeacherKey()?.code === code);
  }

  /** Whether this computer remembers the teacher key of this class (beyond this browser session). */
  get keyRemembered(): boolean {
    return this.code !== undefined && rememberedTeacherKey()?.code === this.code;
  }

  /** Remember the key on this computer, or keep it for this browser session only. */
  rememberKey(remember: boolean): void {
    if (this.code && this.teacherSecret) keepTeacherKey({ code: this.code, teacherSecret: this.teacherSecret }, remember);
  }

  /** The teacher leaves on a shared computer: the key is forgotten here. */
  signOut(): void {
    forgetTeacherKey();
    this.teacherSecret = undefined;
    this.code = undefined;
  }

  /** The class and key with which this tab may ask the HTTP API for the teacher's files (none: it is not the teacher's). */
  get teacher(): { code: string; teacherSecret: string } | undefined {
    return this.code !== undefined && this.teacherSecret !== undefined ? { code: this.code, teacherSecret: this.teacherSecret } : undefined;
  }
}
