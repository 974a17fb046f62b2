// PTZ on one ONVIF device through onvif's Cam: capability detection (PTZ service, a profile with a PTZ
// configuration, home and presets from GetNodes), continuous move, stop, presets, home. A session keeps
// the device's services, clock skew and password form so each move is one request.
import { NvrError, isNvrError } from '../../base';
import { OnvifClient } from './onvif-client';
import type { OnvifCallback, OnvifClientOptions } from './onvif-client';
import { escapeXml } from './xml';

export interface PtzTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** The media profile PTZ commands name; default the first profile with a PTZ configuration. */
  profileToken?: string;
}

export interface PtzVelocity {
  /** -1 (left) … 1 (right) */
  pan: number;
  /** -1 (down) … 1 (up) */
  tilt: number;
  /** -1 (out) … 1 (in) */
  zoom: number;
}

export interface PtzPreset {
  token: string;
  name: string;
}

export interface PtzCapabilities {
  supported: boolean;
  profileToken?: string;
  home: boolean;
  maxPresets?: number;
  presets: PtzPreset[];
}

interface CamProfileLite {
  $?: { token?: unknown };
  PTZConfiguration?: unknown;
}

const clamp = (v: number) => (Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0);

export class PtzSession {
  private constructor(
    private readonly client: OnvifClient,
    readonly profileToken: string | undefined,
  ) {}

  static async open(
    target: PtzTarget,
    opts: Pick<OnvifClientOptions, 'timeoutMs' | 'nowMs'> = {},
  ): Promise<PtzSession> {
    const client = new OnvifClient({ ...target, ...opts });
    await client.readClock();
    try {
      await client.call('GetServices', (cb) => client.cam.getServices(true, cb));
    } catch (err) {
      if (isNvrError(err, 'timeout') || isNvrError(err, 'unreachable')) throw err;
      await client.call('GetCapabilities', (cb) => client.cam.getCapabilities(cb));
    }
    if (!client.internals.uri?.ptz) return new PtzSession(client, undefined);
    let token = target.profileToken;
    if (token === undefined) {
      const profiles = await PtzSession.withAuth(client, 'GetProfiles', (cb) =>
        client.cam.getProfiles(cb),
      );
      const p = (Array.isArray(profiles) ? (profiles as CamProfileLite[]) : []).find(
        (q) => q.PTZConfiguration !== undefined,
      );
      token = p?.$?.token === undefined ? undefined : String(p.$.token);
    }
    return new PtzSession(client, token);
  }

  /** Runs a call; a digest the device refuses is retried once as PasswordText (and kept so). */
  private static async withAuth<T>(
    client: OnvifClient,
    what: string,
    invoke: (cb: OnvifCallback) => void,
  ): Promise<T> {
    try {
      return await client.call<T>(what, invoke);
    } catch (err) {
      if (!isNvrError(err, 'auth') || client.authMode !== 'digest') throw err;
      client.authMode = 'text';
      try {
        return await client.call<T>(what, invoke);
      } catch (err2) {
        client.authMode = 'digest';
        throw isNvrError(err2, 'auth') ? err : err2;
      }
    }
  }

  get supported(): boolean {
    return this.profileToken !== undefined;
  }

  private token(): string {
    if (this.profileToken === undefined)
      throw new NvrError('not_implemented', `ONVIF device ${this.client.label} has no PTZ`, {
        device: this.client.label,
      });
    return escapeXml(this.profileToken);
  }

  private run<T>(what: string, invoke: (cb: OnvifCallback) => void): Promise<T> {
    return PtzSession.withAuth<T>(this.client, what, invoke);
  }

  async capabilities(): Promise<PtzCapabilities> {
    if (!this.supported) return { supported: false, home: false, presets: [] };
    const nodes = await this.run<
      Record<string, { homeSupported?: unknown; maximumNumberOfPresets?: unknown }>
    >('GetNodes', (cb) => this.client.cam.getNodes(cb));
    const node = Object.values(nodes ?? {})[0];
    const max = Number(node?.maximumNumberOfPresets);
    return {
      supported: true,
      profileToken: this.profileToken!,
      home: node?.homeSupported === true || node?.homeSupported === 'true',
      ...(Number.isFinite(max) ? { maxPresets: max } : {}),
      presets: await this.presets(),
    };
  }

  /** Starts moving at `velocity` (each -1…1) until stop() or `timeoutMs`. */
  async move(velocity: PtzVelocity, timeoutMs?: number): Promise<void> {
    const profileToken = this.token();
    await this.run('ContinuousMove', (cb) =>
      this.client.cam.continuousMove(
        {
          profileToken,
          x: clamp(velocity.pan),
          y: clamp(velocity.tilt),
          zoom: clamp(velocity.zoom),
          ...(timeoutMs ? { timeout: timeoutMs } : {}),
        },
        cb,
      ),
    );
  }

  async stop(): Promise<void> {
    const profileToken = this.token();
    await this.run('Stop', (cb) =>
      this.client.cam.stop({ profileToken, panTilt: true, zoom: true }, cb),
    );
  }

  async presets(): Promise<PtzPreset[]> {
    const profileToken = this.token();
    await this.run('GetPresets', (cb) => this.client.cam.getPresets({ profileToken }, cb));
    const byToken = (this.client.internals.presets ?? {}) as Record<string, { name?: unknown }>;
    return Object.entries(byToken).map(([token, p]) => ({
      token,
      name: p?.name === undefined ? token : String(p.name),
    }));
  }

  async gotoPreset(presetToken: string): Promise<void> {
    const profileToken = this.token();
    await this.run('GotoPreset', (cb) =>
      this.client.cam.gotoPreset({ profileToken, preset: escapeXml(presetToken) }, cb),
    );
  }

  async home(): Promise<void> {
    const profileToken = this.token();
    await this.run('GotoHomePosition', (cb) =>
      this.client.cam.gotoHomePosition({ profileToken }, cb),
    );
  }

  /** Saves the current position under `name`; returns the new preset. */
  async setPreset(name: string): Promise<PtzPreset> {
    const profileToken = this.token();
    const answer = await this.run<unknown>('SetPreset', (cb) =>
      this.client.cam.setPreset({ profileToken, presetName: escapeXml(name) }, cb),
    );
    const token = findPresetToken(answer);
    if (token === undefined)
      throw new NvrError(
        'malformed',
        `ONVIF device ${this.client.label}: SetPreset answered no token`,
        { device: this.client.label },
      );
    return { token, name };
  }
}

/** onvif's setPreset hands back the raw xml2js body: `[{ setPresetResponse: [{ presetToken: ['3'] }] }]`. */
function findPresetToken(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = findPresetToken(v);
      if (t !== undefined) return t;
    }
    return undefined;
  }
  if (typeof value === 'string' || typeof value === 'number') return undefined;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'presetToken' || k === 'PresetToken') {
        const s = Array.isArray(v) ? v[0] : v;
        if (typeof s === 'string' || typeof s === 'number') return String(s);
      }
      const t = findPresetToken(v);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}
