// ONVIF discovery: a WS-Discovery Probe sent by multicast from each chosen interface (and by unicast to
// hosts or a small range where multicast is blocked); ProbeMatches delivered as they arrive,
// deduplicated by endpoint reference and address. A device answering garbage is skipped, never fatal.
import dgram from 'node:dgram';
import { once } from 'node:events';
import os from 'node:os';
import { NvrError } from '../../base';
import type { DiscoveredDevice } from '../../../src-preload/contract';
import { expandUnicastTargets } from './unicast-targets';
import type { UnicastTarget } from './unicast-targets';
import {
  WS_DISCOVERY_MULTICAST_ADDRESS,
  WS_DISCOVERY_PORT,
  buildProbe,
  newMessageId,
  parseProbeMatches,
  parseScopes,
} from './ws-discovery';
import type { ProbeMatch } from './ws-discovery';

export interface DiscoveryOptions {
  /** How long to listen for answers. */
  timeoutMs: number;
  /** IPv4 addresses of the interfaces to probe from; default every IPv4 interface. Tests: ['127.0.0.1']. */
  interfaces?: string[];
  /** Send the multicast Probe (default true). */
  multicast?: boolean;
  multicastAddress?: string;
  /** WS-Discovery port: multicast destination and default unicast port (3702; tests use a random one). */
  port?: number;
  /** Multicast TTL (WS-Discovery: 1, the local link). */
  multicastTtl?: number;
  /** Hosts, host:port or an IPv4 CIDR range (capped) to probe by unicast. */
  unicastHosts?: string[];
  maxUnicastTargets?: number;
  /** The multicast Probe is sent again after this long, as UDP may drop it (default 200 ms). */
  repeatAfterMs?: number;
  signal?: AbortSignal;
  /** Whether a camera with this address (`host`, then the device) is already configured. */
  isAlreadyAdded?: (host: string, device: DiscoveredDevice) => boolean;
  /** Monotonic clock for the timing figures (default performance.now). */
  monotonicMs?: () => number;
}

export interface IgnoredAnswer {
  from: string;
  reason: string;
}

export interface DiscoveryReport {
  devices: DiscoveredDevice[];
  /** Answers that were not usable ProbeMatches (garbage, other messages). */
  ignored: IgnoredAnswer[];
  /** Interfaces that could not be used (bind or multicast setup failed). */
  warnings: string[];
  /** From the start of the scan to the first device, when one answered. */
  firstResultMs?: number;
  durationMs: number;
}

/** Every IPv4 address of this machine's interfaces (loopback included: the demo's fake cameras live there). */
export function defaultDiscoveryInterfaces(): string[] {
  const out: string[] = [];
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4') out.push(a.address);
  }
  return out.length > 0 ? out : ['127.0.0.1'];
}

function hostOf(url: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return { host, port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
  } catch {
    return undefined;
  }
}

function toDevice(match: ProbeMatch, from: string): DiscoveredDevice | undefined {
  const addrs = match.xaddrs.map((x) => ({ x, a: hostOf(x) })).filter((e) => e.a !== undefined);
  const chosen = addrs.find((e) => e.a!.host === from) ?? addrs[0];
  if (!chosen) return undefined;
  const info = parseScopes(match.scopes);
  return {
    // Where it answered from: a camera behind NAT or with a stale config may advertise another address.
    host: from,
    port: chosen.a!.port,
    xaddrs: match.xaddrs,
    ...(match.endpoint ? { urn: match.endpoint } : {}),
    ...(info.name ? { name: info.name } : {}),
    ...(info.hardware ? { hardware: info.hardware } : {}),
    ...(info.manufacturer ? { manufacturer: info.manufacturer } : {}),
    ...(info.model ? { model: info.model } : {}),
    scopes: match.scopes,
  };
}

async function openSocket(bindAddress: string | undefined): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  const failed = once(socket, 'error').then(([err]) => Promise.reject(err as Error));
  socket.bind(0, bindAddress);
  try {
    await Promise.race([once(socket, 'listening'), failed]);
  } catch (err) {
    socket.close();
    throw err;
  }
  failed.catch(() => undefined);
  return socket;
}

/** Runs one scan; `onResult` sees each new device as it answers. Resolves when the time is up or on abort. */
export async function discoverOnvifDevices(
  opts: DiscoveryOptions,
  onResult: (device: DiscoveredDevice) => void = () => undefined,
): Promise<DiscoveryReport> {
  const now = opts.monotonicMs ?? (() => performance.now());
  const startMs = now();
  const port = opts.port ?? WS_DISCOVERY_PORT;
  const group = opts.multicastAddress ?? WS_DISCOVERY_MULTICAST_ADDRESS;
  const targets: UnicastTarget[] = expandUnicastTargets(
    opts.unicastHosts ?? [],
    port,
    opts.maxUnicastTargets,
  );
  const messageId = newMessageId();
  const probe = Buffer.from(buildProbe(messageId), 'utf8');
  const report: DiscoveryReport = { devices: [], ignored: [], warnings: [], durationMs: 0 };
  const seenEndpoints = new Set<string>();
  const seenAddrs = new Set<string>();

  const onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    const from = `${rinfo.address}:${rinfo.port}`;
    const parsed = parseProbeMatches(msg.toString('utf8'));
    if (!parsed.ok) {
      report.ignored.push({ from, reason: parsed.reason });
      return;
    }
    if (parsed.relatesTo !== undefined && parsed.relatesTo !== messageId) {
      report.ignored.push({ from, reason: 'answer to another Probe' });
      return;
    }
    for (const match of parsed.matches) {
      const device = toDevice(match, rinfo.address);
      if (!device) {
        report.ignored.push({ from, reason: 'no usable XAddr' });
        continue;
      }
      const addrKey = `${device.host}:${device.port}`;
      if (
        (device.urn && seenEndpoints.has(device.urn)) ||
        device.xaddrs.some((x) => seenAddrs.has(x)) ||
        seenAddrs.has(addrKey)
      )
        continue;
      if (device.urn) seenEndpoints.add(device.urn);
      for (const x of device.xaddrs) seenAddrs.add(x);
      seenAddrs.add(addrKey);
      let added: boolean;
      try {
        added = opts.isAlreadyAdded?.(device.host, device) ?? false;
      } catch {
        added = false; // the engine's lookup failing must not lose the device
      }
      const result: DiscoveredDevice = { ...device, alreadyAdded: added };
      report.firstResultMs ??= now() - startMs;
      report.devices.push(result);
      onResult(result);
    }
  };

  const sockets: dgram.Socket[] = [];
  const multicastSockets: dgram.Socket[] = [];
  const send = (s: dgram.Socket, p: number, host: string) =>
    s.send(probe, p, host, (err) => {
      if (err) report.warnings.push(`probe to ${host}:${p} not sent: ${err.message}`);
    });
  try {
    if (opts.multicast !== false) {
      for (const address of opts.interfaces ?? defaultDiscoveryInterfaces()) {
        try {
          const s = await openSocket(address);
          sockets.push(s);
          s.setMulticastInterface(address);
          s.setMulticastLoopback(true);
          s.setMulticastTTL(opts.multicastTtl ?? 1);
          multicastSockets.push(s);
        } catch (err) {
          report.warnings.push(
            `interface ${address} not usable for discovery: ${(err as Error).message}`,
          );
        }
      }
    }
    let unicastSocket: dgram.Socket | undefined;
    if (targets.length > 0) {
      unicastSocket = await openSocket(opts.interfaces?.[0]);
      sockets.push(unicastSocket);
    }
    if (sockets.length === 0)
      throw new NvrError('unavailable', 'no network interface could send a discovery probe', {
        warnings: report.warnings.join('; '),
      });
    for (const s of sockets) {
      s.on('message', onMessage);
      s.on('error', (err) => report.warnings.push(`discovery socket error: ${err.message}`));
    }

    await new Promise<void>((resolve) => {
      if (opts.signal?.aborted) return resolve();
      const timers: NodeJS.Timeout[] = [];
      const done = () => {
        for (const t of timers) clearTimeout(t);
        opts.signal?.removeEventListener('abort', done);
        resolve();
      };
      opts.signal?.addEventListener('abort', done, { once: true });
      timers.push(setTimeout(done, opts.timeoutMs));
      for (const s of multicastSockets) send(s, port, group);
      for (const t of targets) send(unicastSocket!, t.port, t.host);
      const repeatMs = opts.repeatAfterMs ?? 200;
      if (repeatMs < opts.timeoutMs)
        timers.push(
          setTimeout(() => multicastSockets.forEach((s) => send(s, port, group)), repeatMs),
        );
    });
  } finally {
    await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
  report.durationMs = now() - startMs;
  return report;
}
