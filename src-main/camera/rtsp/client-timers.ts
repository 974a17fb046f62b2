// Periodic work of a playing RTSP client session: the keepalive (GET_PARAMETER unless the server's
// Public list leaves it out, else OPTIONS, at half the session timeout; an unanswered or refused
// GET_PARAMETER switches to OPTIONS, an unanswered OPTIONS fails the connection)
// and RTCP receiver reports. Owns two timers; it knows nothing about RTP or SDP.
import { isNvrError } from '../../base';
import type { RtspConnection } from './client-connection';
import type { Clock } from '../../base';

export interface SessionTimerOptions {
  clock: Clock;
  conn: RtspConnection;
  /** From the SETUP answer's Session header (default 60 s). */
  timeoutSec: number;
  useGetParameter: boolean;
  /** URL for OPTIONS (the request URL) and GET_PARAMETER (the aggregate control URL). */
  optionsUrl: string;
  playUrl: string;
  receiverReportIntervalMs: number;
  isPlaying(): boolean;
  sendReceiverReport(): void;
}

export class SessionTimers {
  private keepaliveTimer: unknown;
  private reportTimer: unknown;
  private stopped = false;
  private useGetParameter: boolean;
  private readonly keepaliveMs: number;

  constructor(private readonly o: SessionTimerOptions) {
    this.useGetParameter = o.useGetParameter;
    this.keepaliveMs = Math.max(500, (o.timeoutSec * 1000) / 2);
    this.keepaliveTimer = o.clock.setTimeout(() => this.keepalive(), this.keepaliveMs);
    this.reportTimer = o.clock.setTimeout(() => this.report(), o.receiverReportIntervalMs);
  }

  stop(): void {
    this.stopped = true;
    this.o.clock.clearTimeout(this.keepaliveTimer);
    this.o.clock.clearTimeout(this.reportTimer);
  }

  private keepalive(): void {
    const { conn, clock } = this.o;
    const method = this.useGetParameter ? 'GET_PARAMETER' : 'OPTIONS';
    const url = method === 'OPTIONS' ? this.o.optionsUrl : this.o.playUrl;
    // Wait for the answer at most half an interval, so a fallback still beats the session timeout.
    const waitMs = Math.max(250, this.keepaliveMs / 2);
    conn
      .request(method, url, [], () => true, waitMs)
      .then(
        (res) => {
          // A server that lists GET_PARAMETER but refuses it gets OPTIONS from now on.
          if (res.statusCode >= 400) this.useGetParameter = false;
          if (!this.stopped && this.o.isPlaying())
            this.keepaliveTimer = clock.setTimeout(() => this.keepalive(), this.keepaliveMs);
        },
        (e: unknown) => {
          if (this.stopped || !this.o.isPlaying() || !isNvrError(e) || e.kind === 'cancelled')
            return;
          if (method === 'GET_PARAMETER' && isNvrError(e, 'timeout')) {
            // Some cameras (Hipcam) list GET_PARAMETER and never answer it: OPTIONS from now on.
            this.useGetParameter = false;
            this.keepalive();
            return;
          }
          conn.fail(
            isNvrError(e, 'timeout')
              ? conn.error('timeout', `keepalive ${method} left unanswered`, e.context)
              : e,
          );
        },
      );
  }

  private report(): void {
    if (this.stopped || !this.o.isPlaying()) return;
    this.o.sendReceiverReport();
    this.reportTimer = this.o.clock.setTimeout(
      () => this.report(),
      this.o.receiverReportIntervalMs,
    );
  }
}
