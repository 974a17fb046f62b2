// OnvifService: what the engine calls for ONVIF: discovery (results as they arrive), probing with
// credentials, a camera from a probe, and PTZ (sessions kept per device for a few minutes so a move
// is one request). Holds no camera config: the engine passes targets and `isAlreadyAdded`.
import { isNvrError } from '../../base';
import type { CameraInput, DiscoveredDevice, ProbeResult } from '../../../src-preload/contract';
import { cameraFromProbe } from './camera-from-probe';
import type { CameraFromProbeOptions } from './camera-from-probe';
import { discoverOnvifDevices } from './discovery';
import type { DiscoveryOptions, DiscoveryReport } from './discovery';
import { probeOnvifDevice } from './probe';
import { PtzSession } from './ptz';
import type { PtzCapabilities, PtzPreset, PtzTarget, PtzVelocity } from './ptz';

export interface OnvifServiceOptions {
  /** Whether a camera with this address is already configured (the engine's store answers). */
  isAlreadyAdded?: (host: string, device: DiscoveredDevice) => boolean;
  /** Discovery network settings: interfaces (default every IPv4 one), port (3702), TTL, cap. */
  discovery?: Pick<
    DiscoveryOptions,
    'interfaces' | 'port' | 'multicastAddress' | 'multicastTtl' | 'maxUnicastTargets'
  >;
  /** Per SOAP request (default 5000 ms). */
  requestTimeoutMs?: number;
  clockSkewWarnMs?: number;
  nowMs?: () => number;
  monotonicMs?: () => number;
  /** A PTZ session unused this long is dropped and reopened on the next command (default 5 min). */
  ptzSessionIdleMs?: number;
}

export interface DiscoverRequest {
  timeoutMs: number;
  unicastHosts?: string[];
  signal?: AbortSignal;
}

export interface ProbeRequest {
  host: string;
  port?: number;
  username?: string;
  password?: string;
}

const sessionKey = (t: PtzTarget) =>
  JSON.stringify([t.host, t.port, t.username ?? '', t.password ?? '', t.profileToken ?? '']);

interface CachedSession {
  session: Promise<PtzSession>;
  lastUsedMs: number;
}

export class OnvifService {
  private readonly sessions = new Map<string, CachedSession>();

  constructor(private readonly opts: OnvifServiceOptions = {}) {}

  /** One scan; `onResult` gets each device as it answers (for `discovery.result` events). */
  discover(
    req: DiscoverRequest,
    onResult?: (device: DiscoveredDevice) => void,
  ): Promise<DiscoveryReport> {
    return discoverOnvifDevices(
      {
        ...this.opts.discovery,
        timeoutMs: req.timeoutMs,
        ...(req.unicastHosts ? { unicastHosts: req.unicastHosts } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        ...(this.opts.isAlreadyAdded ? { isAlreadyAdded: this.opts.isAlreadyAdded } : {}),
        ...(this.opts.monotonicMs ? { monotonicMs: this.opts.monotonicMs } : {}),
      },
      onResult,
    );
  }

  probe(req: ProbeRequest): Promise<ProbeResult> {
    return probeOnvifDevice({
      host: req.host,
      port: req.port ?? 80,
      ...(req.username ? { username: req.username, password: req.password ?? '' } : {}),
      ...(this.opts.requestTimeoutMs ? { timeoutMs: this.opts.requestTimeoutMs } : {}),
      ...(this.opts.clockSkewWarnMs ? { clockSkewWarnMs: this.opts.clockSkewWarnMs } : {}),
      ...(this.opts.nowMs ? { nowMs: this.opts.nowMs } : {}),
    });
  }

  cameraFromProbe(probe: ProbeResult, opts: CameraFromProbeOptions = {}): CameraInput {
    return cameraFromProbe(probe, opts);
  }

  /** Probe then camera: what "Add" in the scan wizard does. */
  async probeCamera(
    req: ProbeRequest,
    opts: Omit<CameraFromProbeOptions, 'username' | 'password'> = {},
  ): Promise<CameraInput> {
    const probe = await this.probe(req);
    return cameraFromProbe(probe, {
      ...opts,
      ...(req.username ? { username: req.username, password: req.password ?? '' } : {}),
    });
  }

  private async session(target: PtzTarget): Promise<PtzSession> {
    const now = (this.opts.monotonicMs ?? (() => performance.now()))();
    const idleMs = this.opts.ptzSessionIdleMs ?? 5 * 60_000;
    for (const [k, v] of this.sessions) if (now - v.lastUsedMs > idleMs) this.sessions.delete(k);
    const key = sessionKey(target);
    let cached = this.sessions.get(key);
    if (!cached) {
      cached = {
        session: PtzSession.open(target, {
          ...(this.opts.requestTimeoutMs ? { timeoutMs: this.opts.requestTimeoutMs } : {}),
          ...(this.opts.nowMs ? { nowMs: this.opts.nowMs } : {}),
        }),
        lastUsedMs: now,
      };
      this.sessions.set(key, cached);
    }
    cached.lastUsedMs = now;
    try {
      return await cached.session;
    } catch (err) {
      this.sessions.delete(key);
      throw err;
    }
  }

  /** Runs a PTZ command; after a sign-in or network failure the next command opens a new session. */
  private async ptz<T>(target: PtzTarget, fn: (s: PtzSession) => Promise<T>): Promise<T> {
    const s = await this.session(target);
    try {
      return await fn(s);
    } catch (err) {
      if (isNvrError(err, 'auth') || isNvrError(err, 'timeout') || isNvrError(err, 'unreachable'))
        this.sessions.delete(sessionKey(target));
      throw err;
    }
  }

  ptzCapabilities(target: PtzTarget): Promise<PtzCapabilities> {
    return this.ptz(target, (s) => s.capabilities());
  }
  ptzMove(target: PtzTarget, velocity: PtzVelocity, timeoutMs?: number): Promise<void> {
    return this.ptz(target, (s) => s.move(velocity, timeoutMs));
  }
  ptzStop(target: PtzTarget): Promise<void> {
    return this.ptz(target, (s) => s.stop());
  }
  ptzPresets(target: PtzTarget): Promise<PtzPreset[]> {
    return this.ptz(target, (s) => s.presets());
  }
  ptzGotoPreset(target: PtzTarget, presetToken: string): Promise<void> {
    return this.ptz(target, (s) => s.gotoPreset(presetToken));
  }
  ptzHome(target: PtzTarget): Promise<void> {
    return this.ptz(target, (s) => s.home());
  }
  ptzSetPreset(target: PtzTarget, name: string): Promise<PtzPreset> {
    return this.ptz(target, (s) => s.setPreset(name));
  }

  /** Forgets PTZ sessions (nothing stays open between commands: each is one HTTP request). */
  close(): void {
    this.sessions.clear();
  }
}
