// A fake ONVIF camera for tests and `serve --demo`: device, Media1, Media2 and PTZ services over SOAP
// on 127.0.0.1:0 with WS-Security checked, a snapshot JPEG, and a WS-Discovery responder. Written from
// the specifications (fake-soap.ts); stream URIs point at the project's RTSP server. Loopback only.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WS_DISCOVERY_MULTICAST_ADDRESS } from '../ws-discovery';
import { verifyUsernameToken } from '../ws-security';
import type { PasswordMode } from '../ws-security';
import { child, find, parseXml } from '../xml';
import type { XmlElement } from '../xml';
import { FakeDiscoveryResponder } from './fake-discovery-responder';
import type { DiscoveryReplyMode } from './fake-discovery-responder';
import * as soap from './fake-soap';
import type { FakeProfile } from './fake-soap';
import type { FakePtzState } from './fake-ptz';
import { answerPtz, newPtzState } from './fake-ptz';
import { SNAPSHOT_JPEG } from './snapshot-jpeg';

/** How the device misbehaves on every SOAP request. */
export type BrokenMode = 'malformed-xml' | 'soap-fault' | 'no-answer';

export interface FakeOnvifDeviceOptions {
  name?: string;
  manufacturer?: string;
  model?: string;
  /** Profiles; default main 1920x1080 and sub 640x360 (H.264). */
  profiles?: FakeProfile[];
  /** RTSP base of this camera's streams: rtsp://127.0.0.1:PORT/<cam>; a profile adds `/<streamPath>`. */
  rtspBaseUrl?: string;
  /** Host the device writes into stream and snapshot URIs (a camera behind NAT reports its own). */
  reportedHost?: string;
  /** Credentials; `null` turns authentication off. Default admin / admin123. */
  credentials?: { username: string; password: string } | null;
  /** Password forms the device accepts (default both). */
  acceptPasswordModes?: PasswordMode[];
  /** The device's clock minus ours. */
  clockOffsetMs?: number;
  /** Allowed distance of a digest's Created from the device clock (default 5 min). */
  maxSkewMs?: number;
  media1?: boolean;
  media2?: boolean;
  ptz?: boolean;
  broken?: BrokenMode;
  /** WS-Discovery: the multicast port to share with other fakes (0 picks one); false for none. */
  discovery?:
    | {
        multicastPort?: number;
        interfaceAddress?: string;
        mode?: DiscoveryReplyMode;
        /** Loopback address its ProbeMatch comes from (the host a Scan lists), e.g. 127.0.0.9. */
        answerFrom?: string;
        /** Answer Probes this late (a slow device). */
        answerDelayMs?: number;
      }
    | false;
  urn?: string;
  hardware?: string;
}

export interface FakeCall {
  service: 'device' | 'media' | 'media2' | 'ptz';
  action: string;
  authenticated: PasswordMode | 'none' | 'rejected';
  profileToken?: string;
}

export const DEFAULT_FAKE_PROFILES: readonly FakeProfile[] = [
  {
    token: 'profile_main',
    name: 'MainStream',
    width: 1920,
    height: 1080,
    fps: 25,
    bitrateKbps: 4096,
    codec: 'H264',
    streamPath: 'main',
  },
  {
    token: 'profile_sub',
    name: 'SubStream',
    width: 640,
    height: 360,
    fps: 15,
    bitrateKbps: 512,
    codec: 'H264',
    streamPath: 'sub',
  },
];

const PRE_AUTH = new Set([
  'GetSystemDateAndTime',
  'GetServices',
  'GetCapabilities',
  'GetServiceCapabilities',
  'GetWsdlUrl',
]);
const SERVICE_PATHS = {
  '/onvif/device_service': 'device',
  '/onvif/media_service': 'media',
  '/onvif/media2_service': 'media2',
  '/onvif/ptz_service': 'ptz',
} as const;
const MAX_BODY_BYTES = 256 * 1024;

export class FakeOnvifDevice {
  readonly calls: FakeCall[] = [];
  readonly ptzState: FakePtzState = newPtzState();
  readonly urn: string;
  broken: BrokenMode | undefined;
  discoveryMode: DiscoveryReplyMode;
  clockOffsetMs: number;
  private readonly opts: FakeOnvifDeviceOptions;
  private readonly held = new Set<http.ServerResponse>();
  private responder: FakeDiscoveryResponder | undefined;

  private constructor(
    private readonly server: http.Server,
    opts: FakeOnvifDeviceOptions,
  ) {
    this.opts = opts;
    this.urn = opts.urn ?? `urn:uuid:${randomUUID()}`;
    this.broken = opts.broken;
    this.clockOffsetMs = opts.clockOffsetMs ?? 0;
    this.discoveryMode = (opts.discovery && opts.discovery.mode) || 'normal';
  }

  static async start(opts: FakeOnvifDeviceOptions = {}): Promise<FakeOnvifDevice> {
    const handlers: { device?: FakeOnvifDevice } = {};
    const server = http.createServer((req, res) => handlers.device?.handle(req, res));
    const device = new FakeOnvifDevice(server, opts);
    handlers.device = device;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    if (opts.discovery !== false) {
      const d = opts.discovery ?? {};
      try {
        device.responder = await FakeDiscoveryResponder.start({
          multicastAddress: WS_DISCOVERY_MULTICAST_ADDRESS,
          multicastPort: d.multicastPort ?? 0,
          interfaceAddress: d.interfaceAddress ?? '127.0.0.1',
          reply: (relatesTo, messageId) => device.probeMatch(relatesTo, messageId),
          mode: () => device.discoveryMode,
          ...(d.answerFrom ? { answerFrom: d.answerFrom } : {}),
          ...(d.answerDelayMs ? { answerDelayMs: d.answerDelayMs } : {}),
        });
      } catch (err) {
        await device.close();
        throw err;
      }
    }
    return device;
  }

  get name(): string {
    return this.opts.name ?? 'Fake Camera';
  }
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  /** The device service URL (what ProbeMatch XAddrs carry). */
  get xaddr(): string {
    return `http://127.0.0.1:${this.port}/onvif/device_service`;
  }
  get multicastPort(): number | undefined {
    return this.responder?.multicastPort;
  }
  get unicastDiscoveryPort(): number | undefined {
    return this.responder?.unicastPort;
  }
  get discoveryProbes(): readonly { from: string; via: 'multicast' | 'unicast' }[] {
    return this.responder?.probes ?? [];
  }
  get profiles(): readonly FakeProfile[] {
    return this.opts.profiles ?? DEFAULT_FAKE_PROFILES;
  }
  get credentials(): { username: string; password: string } | null {
    return this.opts.credentials === undefined
      ? { username: 'admin', password: 'admin123' }
      : this.opts.credentials;
  }
  /** Scopes: type, name and hardware (URL-encoded as ONVIF scopes are). */
  get scopes(): string[] {
    return [
      'onvif://www.onvif.org/type/video_encoder',
      'onvif://www.onvif.org/Profile/Streaming',
      `onvif://www.onvif.org/name/${encodeURIComponent(this.name)}`,
      `onvif://www.onvif.org/hardware/${encodeURIComponent(this.opts.hardware ?? this.opts.model ?? 'FAKE-IPC-1')}`,
      `onvif://www.onvif.org/mfr/${encodeURIComponent(this.opts.manufacturer ?? 'NVR Project')}`,
    ];
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    this.server.closeAllConnections();
    await Promise.all([
      new Promise<void>((r) => this.server.close(() => r())),
      this.responder?.close(),
    ]);
  }

  private probeMatch(relatesTo: string, messageId: string): string {
    return soap.probeMatches({
      relatesTo,
      messageId,
      endpoint: this.urn,
      scopes: this.scopes,
      xaddrs: [this.xaddr],
    });
  }

  private nowMs(): number {
    return Date.now() + this.clockOffsetMs;
  }

  private base(host = this.opts.reportedHost ?? '127.0.0.1'): string {
    return `http://${host}:${this.port}`;
  }

  private serviceAddrs(): soap.ServiceAddrs {
    const b = this.base();
    return {
      device: `${b}/onvif/device_service`,
      ...(this.opts.media1 !== false ? { media: `${b}/onvif/media_service` } : {}),
      ...(this.opts.media2 !== false ? { media2: `${b}/onvif/media2_service` } : {}),
      ...(this.opts.ptz !== false ? { ptz: `${b}/onvif/ptz_service` } : {}),
    };
  }

  private streamUri(p: FakeProfile): string | null {
    let uri =
      p.streamUri === undefined
        ? `${this.opts.rtspBaseUrl ?? 'rtsp://127.0.0.1:554/fake'}/${p.streamPath}`
        : p.streamUri;
    if (uri && this.opts.reportedHost) {
      const u = new URL(uri);
      u.hostname = this.opts.reportedHost;
      uri = u.toString();
    }
    return uri;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const snap = /^\/onvif\/snapshot\/([A-Za-z0-9_-]+)\.jpg$/.exec(url);
    if (req.method === 'GET' && snap) {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': SNAPSHOT_JPEG.length });
      res.end(SNAPSHOT_JPEG);
      return;
    }
    const service = SERVICE_PATHS[url as keyof typeof SERVICE_PATHS];
    if (req.method !== 'POST' || !service) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => this.answer(service, Buffer.concat(chunks).toString('utf8'), res));
  }

  private send(res: http.ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' });
    res.end(body);
  }

  private answer(service: FakeCall['service'], body: string, res: http.ServerResponse): void {
    if (this.broken === 'no-answer') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if (this.broken === 'malformed-xml') {
      this.send(
        res,
        200,
        '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:Get',
      );
      return;
    }
    if (this.broken === 'soap-fault') {
      this.send(res, 500, soap.fault('Receiver', 'ter:Action', 'The device is busy (fake fault)'));
      return;
    }
    const env = parseXml(body);
    const request = child(env, 'Body')?.children[0];
    if (!env || !request) {
      this.send(res, 400, soap.fault('Sender', 'ter:WellFormed', 'Request is not a SOAP envelope'));
      return;
    }
    const action = request.name;
    const auth = this.authenticate(env, action);
    const profileToken = child(request, 'ProfileToken')?.text;
    this.calls.push({
      service,
      action,
      authenticated: auth,
      ...(profileToken !== undefined ? { profileToken } : {}),
    });
    if (auth === 'rejected') {
      this.send(res, 400, soap.fault('Sender', 'ter:NotAuthorized', 'Sender not Authorized'));
      return;
    }
    const out = this.dispatch(service, action, request);
    if (out === undefined)
      this.send(
        res,
        400,
        soap.fault('Sender', 'ter:ActionNotSupported', `${action} is not supported`),
      );
    else if (typeof out === 'string') this.send(res, 200, out);
    else this.send(res, out.status, out.body);
  }

  private authenticate(env: XmlElement, action: string): FakeCall['authenticated'] {
    const creds = this.credentials;
    const token = find(child(env, 'Header'), 'UsernameToken');
    if (!creds) return 'none';
    if (!token) return PRE_AUTH.has(action) ? 'none' : 'rejected';
    const password = child(token, 'Password');
    const verdict = verifyUsernameToken(
      {
        username: child(token, 'Username')?.text ?? '',
        password: password?.text ?? '',
        ...(password?.attrs.Type ? { passwordType: password.attrs.Type } : {}),
        ...(child(token, 'Nonce') ? { nonceBase64: child(token, 'Nonce')!.text } : {}),
        ...(child(token, 'Created') ? { created: child(token, 'Created')!.text } : {}),
      },
      {
        ...creds,
        nowMs: this.nowMs(),
        maxSkewMs: this.opts.maxSkewMs ?? 5 * 60_000,
        accept: this.opts.acceptPasswordModes ?? ['digest', 'text'],
      },
    );
    if (verdict.ok) return verdict.mode;
    return PRE_AUTH.has(action) ? 'none' : 'rejected';
  }

  private dispatch(
    service: FakeCall['service'],
    action: string,
    req: XmlElement,
  ): string | { status: number; body: string } | undefined {
    const profiles = this.profiles;
    const token = child(req, 'ProfileToken')?.text;
    const profile = profiles.find((p) => p.token === token);
    const noProfile = {
      status: 400,
      body: soap.fault('Sender', 'ter:InvalidArgVal', `no profile ${token ?? ''}`),
    };
    const hasPtz = this.opts.ptz !== false;
    if (service === 'device') {
      switch (action) {
        case 'GetSystemDateAndTime':
          return soap.systemDateAndTime(this.nowMs());
        case 'GetDeviceInformation':
          return soap.deviceInformation({
            manufacturer: this.opts.manufacturer ?? 'NVR Project',
            model: this.opts.model ?? 'Fake IPC',
            firmwareVersion: '1.0.0',
            serialNumber: this.urn.slice(-12),
            hardwareId: this.opts.hardware ?? 'FAKE-IPC-1',
          });
        case 'GetCapabilities':
          return soap.capabilities(this.serviceAddrs());
        case 'GetServices':
          return soap.services(this.serviceAddrs());
        case 'GetScopes':
          return soap.scopesResponse(this.scopes);
      }
      return undefined;
    }
    if (service === 'media' || service === 'media2') {
      if (
        (service === 'media' && this.opts.media1 === false) ||
        (service === 'media2' && this.opts.media2 === false)
      )
        return undefined;
      const uri = service === 'media' ? soap.media1Uri : soap.media2Uri;
      switch (action) {
        case 'GetProfiles':
          return service === 'media'
            ? soap.media1Profiles(profiles, hasPtz)
            : soap.media2Profiles(profiles, hasPtz);
        case 'GetStreamUri': {
          if (!profile) return noProfile;
          const stream = this.streamUri(profile);
          if (stream === null)
            return {
              status: 400,
              body: soap.fault('Sender', 'ter:InvalidArgVal', 'No stream for this profile'),
            };
          return uri('GetStreamUri', stream);
        }
        case 'GetSnapshotUri':
          if (!profile) return noProfile;
          return uri('GetSnapshotUri', `${this.base()}/onvif/snapshot/${profile.token}.jpg`);
      }
      return undefined;
    }
    if (!hasPtz) return undefined;
    if (token !== undefined && !profile && action !== 'GetNodes' && action !== 'GetConfigurations')
      return noProfile;
    return answerPtz(this.ptzState, action, req);
  }
}

/** Starts `count` fake devices that share one multicast port (the first one picks it). */
export async function startFakeOnvifDevices(
  count: number,
  opts: (index: number) => FakeOnvifDeviceOptions = () => ({}),
): Promise<FakeOnvifDevice[]> {
  const devices: FakeOnvifDevice[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const o = opts(i);
      const shared = devices[0]?.multicastPort ?? 0;
      const discovery =
        o.discovery === false
          ? false
          : { ...(o.discovery ?? {}), multicastPort: o.discovery?.multicastPort ?? shared };
      devices.push(await FakeOnvifDevice.start({ name: `Fake Camera ${i + 1}`, ...o, discovery }));
    }
  } catch (err) {
    await Promise.all(devices.map((d) => d.close()));
    throw err;
  }
  return devices;
}
