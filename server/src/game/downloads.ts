/**
 * How much one room may send as files. A round's recording is tens of kilobytes; asked for
 * nineteen times a second from twenty connections in one seat, it once made the server send
 * 300 MB in 20 s and stalled every other class on the machine. The files themselves are built
 * once per round state (shared/src/capture/downloads.ts); this rations the bytes: each seat has
 * its share per minute, however many players sit in it, and the room as a whole a larger one,
 * so one seat cannot use up what the teacher's downloads need. A refusal says how long to wait.
 */
import { download, type DownloadFile, type Downloader, type ProtocolError, type Role, type Round, type RoundFile } from '@heist/shared';
import { protocolError as err } from '../validation/messages.ts';
import { RateLimiter } from '../validation/rateLimit.ts';

export interface DownloadQuotaLimits {
  /** Bytes a seat may download per minute (also the most at once): a busy round's recording is ~40 KB. */
  seatBytesPerMinute: number;
  /** Bytes the whole room (its seats and the class's teacher) may be sent as files per minute. */
  roomBytesPerMinute: number;
}

export const DOWNLOAD_QUOTA: DownloadQuotaLimits = {
  seatBytesPerMinute: 1024 * 1024,
  roomBytesPerMinute: 3 * 1024 * 1024,
};

const ROOM = 'room';

export class DownloadQuota {
  private readonly seats: RateLimiter;
  private readonly room: RateLimiter;

  constructor(
    private readonly now: () => number,
    limits: DownloadQuotaLimits = DOWNLOAD_QUOTA,
  ) {
    this.seats = new RateLimiter(limits.seatBytesPerMinute, limits.seatBytesPerMinute / 60);
    this.room = new RateLimiter(limits.roomBytesPerMinute, limits.roomBytesPerMinute / 60);
  }

  /** Spend `bytes` of the seat's and the room's share (the teacher counts for the room only), or say how long to wait. */
  spend(who: Downloader, bytes: number): ProtocolError | null {
    const now = this.now();
    const seatCost = Math.min(bytes, this.seats.capacity);
    const roomCost = Math.min(bytes, this.room.capacity);
    const seatWait = who === 'teacher' ? 0 : this.seats.waitMs(who, now, seatCost);
    if (seatWait > 0) return refusal(`Your seat has downloaded a lot in the last minute: try again in ${seconds(seatWait)}.`);
    const roomWait = this.room.waitMs(ROOM, now, roomCost);
    if (roomWait > 0) return refusal(`This room has sent a lot of files in the last minute: try again in ${seconds(roomWait)}.`);
    if (who !== 'teacher') this.seats.allow(who, now, seatCost);
    this.room.allow(ROOM, now, roomCost);
    return null;
  }
}

/** A seat asks for one of the round's files: the engine decides whether it may have it, the quota whether now. */
export function seatFile(quota: DownloadQuota, round: Round | null, role: Role | undefined, file: DownloadFile): RoundFile | ProtocolError {
  if (role === undefined) return err('notAllowed', 'Only a seat of this round has files to download.', 'download');
  if (!round) return err('wrongPhase', 'No round has been played yet.', 'download');
  return rationed(quota, role, download(round, role, file));
}

/** The class's teacher asks for a file of the room's last finished round. */
export function teacherFile(quota: DownloadQuota, finished: Round | null, file: DownloadFile): RoundFile | ProtocolError {
  if (!finished) return err('wrongPhase', 'No round of this room has ended yet.', 'download');
  return rationed(quota, 'teacher', download(finished, 'teacher', file));
}

function rationed(quota: DownloadQuota, who: Downloader, got: ReturnType<typeof download>): RoundFile | ProtocolError {
  if ('code' in got) return { ...got, type: 'download' };
  return quota.spend(who, got.bytes.byteLength) ?? got;
}

function refusal(message: string): ProtocolError {
  return { code: 'rateLimited', message, type: 'download' };
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s === 1 ? '1 second' : `${s} seconds`;
}
