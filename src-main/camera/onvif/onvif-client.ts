// One ONVIF device over SOAP, on top of the `onvif` package's Cam (its device, media, Media2 and PTZ
// calls, HTTP Digest and response parsing): promises, errors as NvrError kinds naming the device, and
// our own WS-Security header (PasswordText fallback, clock skew, UTF-8 and escaping). No discovery here.
import { createRequire } from 'node:module';
import type { Cam } from 'onvif';

/** onvif (and its XML stack, ~12 MB) loads on the first ONVIF call, not at engine start. */
let camClass: typeof Cam | undefined;
function loadCam(): typeof Cam {
  camClass ??= (createRequire(import.meta.url)('onvif') as { Cam: typeof Cam }).Cam;
  return camClass;
}
import { NvrError } from '../../base';
import type { ErrorKind } from '../../base';
import { buildSecurityHeader } from './ws-security';
import type { PasswordMode } from './ws-security';

export interface OnvifClientOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Device service path (default /onvif/device_service). */
  path?: string;
  /** Per request: the answer must start within this long (default 5000). */
  timeoutMs?: number;
  /** Our wall clock (default Date.now); the camera's is ours plus `clockSkewMs`. */
  nowMs?: () => number;
}

export type AuthMode = PasswordMode | 'none';

export type OnvifCallback = (err: Error | null, data?: unknown, xml?: string) => void;

/** The parts of onvif's Cam this module uses (its typings cover them loosely). */
interface CamInternals {
  _envelopeHeader(openHeader?: boolean): string;
  media2Support?: boolean;
  uri?: Record<string, unknown>;
  presets?: Record<string, unknown>;
}

const SOAP_ENV = 'http://www.w3.org/2003/05/soap-envelope';

/** Maps what onvif's Cam reports (an Error and maybe the raw answer) to an NvrError kind. */
export function classifyOnvifError(
  err: Error,
  xml: string | undefined,
): { kind: ErrorKind; detail: string } {
  const msg = err.message ?? String(err);
  const body = xml ?? '';
  if (
    /NotAuthorized|not authori[sz]ed|Digest authentication failed|Unauthorized/i.test(
      `${msg} ${body}`,
    )
  )
    return { kind: 'auth', detail: 'the username or password was rejected' };
  if (/Network timeout|ETIMEDOUT|ESOCKETTIMEDOUT/i.test(msg))
    return { kind: 'timeout', detail: 'no answer in time' };
  if (
    /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket hang up/i.test(msg)
  )
    return { kind: 'unreachable', detail: msg };
  if (/^ONVIF SOAP Fault/.test(msg))
    return { kind: 'protocol', detail: msg.replace(/^ONVIF SOAP Fault:\s*/, 'SOAP fault: ') };
  if (
    /Wrong ONVIF SOAP response|Unexpected|Unclosed|Non-whitespace|Invalid character|Cannot read properties|is not iterable|undefined/i.test(
      msg,
    )
  )
    return { kind: 'malformed', detail: `unreadable answer (${msg})` };
  return { kind: 'protocol', detail: msg };
}

export class OnvifClient {
  readonly cam: Cam;
  authMode: AuthMode;
  /** Camera clock minus ours, once GetSystemDateAndTime answered. */
  clockSkewMs = 0;
  private readonly nowMs: () => number;

  constructor(private readonly opts: OnvifClientOptions) {
    this.nowMs = opts.nowMs ?? Date.now;
    this.authMode = opts.username ? 'digest' : 'none';
    this.cam = new (loadCam())({
      hostname: opts.host,
      port: opts.port,
      path: opts.path ?? '/onvif/device_service',
      timeout: opts.timeoutMs ?? 5000,
      autoconnect: false,
      // Service addresses the camera reports are replaced by the address we reached it on.
      preserveAddress: true,
      ...(opts.username ? { username: opts.username, password: opts.password ?? '' } : {}),
    });
    // onvif 0.8 writes WS-Security itself, but only as PasswordDigest, with Created taken from its own
    // uptime-based clock (1970 before GetSystemDateAndTime answered), the password hashed as ASCII and
    // nothing XML-escaped. Its header builder is replaced on this instance (README: Alternatives).
    (this.cam as unknown as CamInternals)._envelopeHeader = (openHeader?: boolean) =>
      this.envelopeHeader(openHeader);
  }

  /** `host:port`, how errors name the device. */
  get label(): string {
    return `${this.opts.host}:${this.opts.port}`;
  }

  get internals(): CamInternals {
    return this.cam as unknown as CamInternals;
  }

  private envelopeHeader(openHeader?: boolean): string {
    let header = `<s:Envelope xmlns:s="${SOAP_ENV}" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>`;
    if (this.authMode !== 'none' && this.opts.username) {
      header += buildSecurityHeader({
        username: this.opts.username,
        password: this.opts.password ?? '',
        mode: this.authMode,
        createdMs: this.nowMs() + this.clockSkewMs,
      });
    }
    if (!openHeader)
      header += `</s:Header><s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`;
    return header;
  }

  /** Calls one Cam method (callback last) and turns the outcome into a promise or an NvrError. */
  call<T>(what: string, invoke: (cb: OnvifCallback) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const cb: OnvifCallback = (err, data, xml) => {
        if (settled) return;
        settled = true;
        if (!err) return resolve(data as T);
        const { kind, detail } = classifyOnvifError(err, xml);
        const message =
          kind === 'auth'
            ? `ONVIF device ${this.label} rejected the username or password (${what})`
            : `ONVIF device ${this.label}: ${what} failed: ${detail}`;
        reject(new NvrError(kind, message, { device: this.label, action: what }, { cause: err }));
      };
      try {
        invoke(cb);
      } catch (err) {
        cb(err as Error);
      }
    });
  }

  /** Reads the camera's clock (no credentials needed) and records the skew; returns it in ms. */
  async readClock(): Promise<{ cameraMs: number; skewMs: number }> {
    const sentMs = this.nowMs();
    const date = await this.call<Date>('GetSystemDateAndTime', (cb) =>
      this.cam.getSystemDateAndTime(cb),
    );
    const receivedMs = this.nowMs();
    const cameraMs = date instanceof Date ? date.getTime() : NaN;
    if (!Number.isFinite(cameraMs))
      throw new NvrError(
        'malformed',
        `ONVIF device ${this.label}: unreadable GetSystemDateAndTime`,
        { device: this.label },
      );
    // The camera's clock has whole seconds; compare with the middle of the exchange.
    this.clockSkewMs = Math.round(cameraMs - (sentMs + receivedMs) / 2);
    return { cameraMs, skewMs: this.clockSkewMs };
  }
}
