/**
 * A level or a role arriving from outside the type system (a message, a database row, the
 * room's synchronised state, a form field) is parsed here, never cast: what is not one is
 * undefined, and the caller says what that means. The schemas serve the message checks too.
 */
import * as v from 'valibot';
import { LEVELS, type Level } from './levels.ts';
import { ROLES, type Role } from './roles.ts';

export const LevelSchema = v.picklist(LEVELS);
export const RoleSchema = v.picklist(ROLES);

export function parseLevel(value: unknown): Level | undefined {
  const parsed = v.safeParse(LevelSchema, value);
  return parsed.success ? parsed.output : undefined;
}

export function parseRole(value: unknown): Role | undefined {
  const parsed = v.safeParse(RoleSchema, value);
  return parsed.success ? parsed.output : undefined;
}
