/**
 * Why a join was refused: a code for the browser, plain words for the player. Codes 42xx come
 * from the rooms; codes below 600 are refusals at the door (http/matchmake.ts, sockets) and
 * are also the HTTP status they arrive with.
 */
export const JOIN_ERRORS = {
  badNickname: { code: 4201, message: 'That nickname is not allowed.' },
  nicknameTaken: { code: 4202, message: 'Someone here already has that nickname.' },
  badTicket: { code: 4203, message: 'That seat ticket is not valid for this match.' },
  notFound: { code: 4204, message: 'No room or class with that code.' },
  teacherSecret: { code: 4205, message: 'That teacher key is not right for this class.' },
  removed: { code: 4206, message: 'The teacher removed you from this class.' },
  stillConnecting: { code: 4208, message: 'You are already on your way into this room: wait a moment.' },
  roomCrowded: { code: 4209, message: 'Too many people from your network are still connecting to this room: try again in a few seconds.' },
  classFull: { code: 4210, message: 'This class is full: ask your teacher.' },
  tooManyFromAddress: { code: 4211, message: 'Too many students have joined this class from your network: ask your teacher.' },
  roomFull: { code: 4207, message: 'That room is full.' },
  databaseAway: { code: 4212, message: 'The class cannot take new students right now: its database is not reachable. Try again in a minute.' },
  badRequest: { code: 400, message: 'That request is not one the game understands.' },
  otherSite: { code: 403, message: 'This game server does not accept requests from that page.' },
  notHere: { code: 404, message: 'Nothing to join here.' },
  wrongHost: { code: 421, message: 'This server is not reached by that name: use its address (or set PUBLIC_URL to the name students use).' },
  tooLarge: { code: 413, message: 'That request is too large.' },
  rateLimited: { code: 429, message: 'Too many attempts: wait a minute and try again.' },
  tooManyWaiting: { code: 429, message: 'Too many joins from your network are still connecting: try again in a few seconds.' },
  tooManyRooms: { code: 429, message: 'Too many rooms are open from your network: leave one before opening another.' },
  tooManyConnections: { code: 503, message: 'The server has too many connections from your network: close a tab or wait a moment, then try again.' },
  shuttingDown: { code: 503, message: 'The server is shutting down.' },
  roomBusy: { code: 503, message: 'The server running that room did not answer in time (it may be very busy): try again in a moment.' },
} as const;

export type JoinError = (typeof JOIN_ERRORS)[keyof typeof JOIN_ERRORS];
