import { CHECK_TITLES, type CheckName } from '../../shared.ts';

/** A check's name on screen, from the engine's one list. */
export function checkName(check: CheckName): string {
  return CHECK_TITLES[check];
}
