/**
 * How many students a class takes, and from where. With the class code, one client once made
 * 199 students in 41 s; real students then found the class locked, and the teacher could only
 * remove them one by one. So: a class size the teacher sets (default 60), a cap per address
 * (a school's NAT is one address, so it fits a class of 40; a script at home gets no further),
 * and who joined when, so the teacher can remove everyone who joined in the last few minutes.
 *
 * In memory, per lobby: after a restart the size is the default again and earlier joins count
 * as old (their addresses are not kept anywhere).
 */
import { LIMITS } from '@heist/shared';
import { JOIN_ERRORS } from '../validation/joinErrors.ts';
import { nicknameSkeleton } from '../validation/names.ts';

export const DEFAULT_CLASS_SIZE = 60;
/**
 * New students per address per class, until the teacher sets the class size: then that size
 * (the teacher knows the whole class sits behind the school's one address).
 */
export const STUDENTS_PER_ADDRESS = 40;

export class ClassJoins {
  private max = DEFAULT_CLASS_SIZE;
  private perAddress = STUDENTS_PER_ADDRESS;
  /** Addresses of nicknames admitted at the door and not yet joined (their websocket is on its way). */
  private readonly admittedFrom = new Map<string, string>();
  private readonly joined = new Map<string, { address: string | undefined; at: number }>();

  get maxStudents(): number {
    return this.max;
  }

  /** The teacher's class size: the most students, from one address too. */
  setMaxStudents(max: number): void {
    this.max = max;
    this.perAddress = max;
  }

  /** Why a new student from `address` may not join a class of `students`, or null. */
  refusal(students: number, address: string): { code: number; message: string } | null {
    if (students >= this.max) return { code: JOIN_ERRORS.classFull.code, message: `This class is full (${this.max} students): ask your teacher.` };
    if ([...this.joined.values()].filter((j) => j.address === address).length >= this.perAddress) return JOIN_ERRORS.tooManyFromAddress;
    return null;
  }

  /** The door let a new student with this nickname through. */
  admitted(nickname: string, address: string): void {
    if (this.admittedFrom.size > 4 * LIMITS.joinsPerMinute) this.admittedFrom.clear(); // never taken up: forget them
    this.admittedFrom.set(nicknameSkeleton(nickname), address);
  }

  joinedNow(playerId: string, nickname: string, at: number): void {
    const key = nicknameSkeleton(nickname);
    this.joined.set(playerId, { address: this.admittedFrom.get(key), at });
    this.admittedFrom.delete(key);
  }

  left(playerId: string): void {
    this.joined.delete(playerId);
  }

  /** Students who joined at `since` or later, newest first. */
  joinedSince(since: number): string[] {
    return [...this.joined].filter(([, j]) => j.at >= since).sort((a, b) => b[1].at - a[1].at).map(([id]) => id);
  }
}
