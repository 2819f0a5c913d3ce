/** Counters since the server started (`connections` and `channels` are live counts). */
export interface ServerStats {
  /** Open connections now. */
  connections: number;
  /** Connections accepted since start. */
  totalConnections: number;
  /** Upgrades answered with an HTTP error (403 refused, 404 wrong path, 500 connect threw). */
  refusedConnections: number;
  /** Joined channels now, over all connections. */
  channels: number;
  /** Client frames received (malformed ones included). */
  framesIn: number;
  /** Frames written to clients (sendRaw included). */
  framesOut: number;
  /** Payload bytes of the frames received (UTF-8 for text). */
  bytesIn: number;
  /** Payload bytes of the frames written. */
  bytesOut: number;
  /** Successful joins. */
  joins: number;
  /** Joins answered with an error (refused, unmatched topic, limit, crash). */
  joinErrors: number;
  /** Channels that ended (leave, stop, crash, duplicate join, disconnect). */
  leaves: number;
  /** Heartbeats answered. */
  heartbeats: number;
  /** Broadcasts sent (one per call, not per subscriber). */
  broadcasts: number;
  /** Channels that crashed (handler threw, abnormal stop). */
  crashes: number;
  /** Client frames that could not be decoded. */
  malformed: number;
}

/** A zeroed stats record. */
export function emptyStats(): ServerStats {
  return {
    connections: 0,
    totalConnections: 0,
    refusedConnections: 0,
    channels: 0,
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    joins: 0,
    joinErrors: 0,
    leaves: 0,
    heartbeats: 0,
    broadcasts: 0,
    crashes: 0,
    malformed: 0,
  };
}
