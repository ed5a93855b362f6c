/** Why a join was refused: a code for the browser, plain words for the player. */
export const JOIN_ERRORS = {
  badNickname: { code: 4201, message: 'That nickname is not allowed.' },
  nicknameTaken: { code: 4202, message: 'Someone here already has that nickname.' },
  badTicket: { code: 4203, message: 'That seat ticket is not valid for this match.' },
  notFound: { code: 4204, message: 'No room or class with that code.' },
  teacherSecret: { code: 4205, message: 'That teacher key is not right for this class.' },
  removed: { code: 4206, message: 'The teacher removed you from this class.' },
  rateLimited: { code: 429, message: 'Too many attempts: wait a minute and try again.' },
} as const;
