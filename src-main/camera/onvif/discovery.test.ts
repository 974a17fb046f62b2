import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { DiscoveredDevice } from '../../../src-preload/contract';
import { discoverOnvifDevices } from './discovery';
import { WS_DISCOVERY_MULTICAST_ADDRESS } from './ws-discovery';
import { startFakeOnvifDevices } from './demo';
import type { FakeOnvifDevice } from './demo';

let devices: FakeOnvifDevice[] = [];
const extra: dgram.Socket[] = [];
afterEach(async () => {
  await Promise.all(devices.map((d) => d.close()));
  devices = [];
  for (const s of extra.splice(0)) s.close();
});

/** Resolves when `n` devices were reported, aborting the scan there (no fixed wait). */
function collect(n: number) {
  const found: DiscoveredDevice[] = [];
  const controller = new AbortController();
  return {
    found,
    signal: controller.signal,
    onResult: (d: DiscoveredDevice) => {
      found.push(d);
      if (found.length >= n) controller.abort();
    },
  };
}

describe('discoverOnvifDevices', () => {
  it('finds several fake devices by multicast on loopback, each once', async () => {
    devices = await startFakeOnvifDevices(3, (i) => ({ name: `Door ${i + 1}`, model: `IPC-${i}` }));
    const c = collect(3);
    const report = await discoverOnvifDevices(
      {
        timeoutMs: 3000,
        interfaces: ['127.0.0.1'],
        port: devices[0]!.multicastPort!,
        signal: c.signal,
      },
      c.onResult,
    );
    console.log(
      `discovery (multicast, 3 devices): first result ${report.firstResultMs?.toFixed(1)} ms, all ${report.durationMs.toFixed(1)} ms`,
    );
    expect(report.devices).toHaveLength(3);
    expect(new Set(report.devices.map((d) => d.urn))).toEqual(new Set(devices.map((d) => d.urn)));
    const door2 = report.devices.find((d) => d.name === 'Door 2')!;
    expect(door2).toMatchObject({
      host: '127.0.0.1',
      port: devices[1]!.port,
      xaddrs: [devices[1]!.xaddr],
      hardware: 'IPC-1',
      model: 'IPC-1',
      manufacturer: 'NVR Project',
      alreadyAdded: false,
    });
    for (const d of devices)
      expect(d.discoveryProbes.some((p) => p.via === 'multicast')).toBe(true);
  });

  it('deduplicates repeated answers and marks devices already added', async () => {
    devices = await startFakeOnvifDevices(2);
    const seen: DiscoveredDevice[] = [];
    // Long enough for the repeated multicast Probe (sent at 200 ms) to be answered as well.
    const report = await discoverOnvifDevices(
      {
        timeoutMs: 600,
        interfaces: ['127.0.0.1'],
        port: devices[0]!.multicastPort!,
        isAlreadyAdded: (_host, d) => d.port === devices[1]!.port,
      },
      (d) => seen.push(d),
    );
    expect(devices[0]!.discoveryProbes.length).toBeGreaterThanOrEqual(2);
    expect(seen).toHaveLength(2);
    expect(report.devices.find((d) => d.port === devices[1]!.port)!.alreadyAdded).toBe(true);
    expect(report.devices.find((d) => d.port === devices[0]!.port)!.alreadyAdded).toBe(false);
  });

  it('finds devices by unicast probe where multicast is off', async () => {
    devices = await startFakeOnvifDevices(2);
    const c = collect(2);
    const report = await discoverOnvifDevices(
      {
        timeoutMs: 3000,
        multicast: false,
        interfaces: ['127.0.0.1'],
        unicastHosts: devices.map((d) => `127.0.0.1:${d.unicastDiscoveryPort}`),
        signal: c.signal,
      },
      c.onResult,
    );
    console.log(
      `discovery (unicast, 2 devices): first result ${report.firstResultMs?.toFixed(1)} ms`,
    );
    expect(report.devices.map((d) => d.urn).sort()).toEqual(devices.map((d) => d.urn).sort());
    for (const d of devices) expect(d.discoveryProbes.map((p) => p.via)).toEqual(['unicast']);
  });

  it('probes a small CIDR range on the discovery port', async () => {
    devices = await startFakeOnvifDevices(1);
    // The unicast responder listens on 127.0.0.1:<port>; a /30 covers .1 and .2 (both loopback).
    const c = collect(1);
    const report = await discoverOnvifDevices(
      {
        timeoutMs: 3000,
        multicast: false,
        interfaces: ['127.0.0.1'],
        port: devices[0]!.unicastDiscoveryPort!,
        unicastHosts: ['127.0.0.0/30'],
        signal: c.signal,
      },
      c.onResult,
    );
    expect(report.devices.map((d) => d.urn)).toEqual([devices[0]!.urn]);
  });

  it('a device answering garbage does not hide the others', async () => {
    devices = await startFakeOnvifDevices(3, (i) =>
      i === 1 ? { discovery: { mode: 'garbage' } } : {},
    );
    // And a stranger sending a well-formed but unrelated SOAP message to the scanner.
    const report = await discoverOnvifDevices({
      timeoutMs: 700,
      interfaces: ['127.0.0.1'],
      port: devices[0]!.multicastPort!,
    });
    expect(report.devices.map((d) => d.urn).sort()).toEqual(
      [devices[0]!.urn, devices[2]!.urn].sort(),
    );
    expect(report.ignored.length).toBeGreaterThanOrEqual(1);
    expect(report.ignored[0]!.reason).toMatch(/XML|ProbeMatch/);
  });

  it('ignores answers to another Probe and non-SOAP datagrams', async () => {
    const stranger = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    extra.push(stranger);
    stranger.bind(0, WS_DISCOVERY_MULTICAST_ADDRESS);
    await once(stranger, 'listening');
    stranger.addMembership(WS_DISCOVERY_MULTICAST_ADDRESS, '127.0.0.1');
    stranger.on('message', (_m, r) => {
      stranger.send('hello', r.port, r.address);
      stranger.send(
        `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:RelatesTo>urn:uuid:other</a:RelatesTo></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:x</a:Address></a:EndpointReference><d:XAddrs>http://127.0.0.1:1/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`,
        r.port,
        r.address,
      );
    });
    const report = await discoverOnvifDevices({
      timeoutMs: 500,
      repeatAfterMs: 10_000,
      interfaces: ['127.0.0.1'],
      port: stranger.address().port,
    });
    expect(report.devices).toEqual([]);
    expect(report.ignored.map((i) => i.reason).sort()).toEqual([
      'answer to another Probe',
      'not well-formed XML',
    ]);
  });

  it('rejects unicast ranges above the cap', async () => {
    await expect(
      discoverOnvifDevices({ timeoutMs: 500, multicast: false, unicastHosts: ['10.0.0.0/16'] }),
    ).rejects.toMatchObject({
      kind: 'bad_request',
    });
  });
});
