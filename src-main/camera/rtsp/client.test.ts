// Integration: RtspClient against the project's own RtspServer serving the demo clips, in H.264 and
// H.265, over TCP and UDP, with Basic and Digest authentication.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNvrError } from '../../base';
import { RtspClient } from './client';
import { RtspServer } from './server';
import { collectAccessUnits, keyframeIndexes, ptsSteps, probeClip } from './testing';
import type { ClipFacts } from './testing';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');
const CLIPS = { h264: path.join(DEMO, 'door-sub.h264'), h265: path.join(DEMO, 'street-main.h265') };
const USER = { username: 'viewer', password: 'p@ss:word' };

const servers: Record<'basic' | 'digest', RtspServer> = {
  basic: new RtspServer({ auth: { users: [USER], scheme: 'basic' } }),
  digest: new RtspServer({ auth: { users: [USER], scheme: 'digest' } }),
};
const ports: Record<string, number> = {};
const facts: Partial<Record<'h264' | 'h265', ClipFacts>> = {};

beforeAll(async () => {
  facts.h264 = probeClip(CLIPS.h264);
  facts.h265 = probeClip(CLIPS.h265);
  for (const [name, server] of Object.entries(servers)) {
    await server.addClipStream('/cam/h264', { file: CLIPS.h264 });
    await server.addClipStream('/cam/h265', { file: CLIPS.h265 });
    ports[name] = (await server.listen({ host: '127.0.0.1', port: 0 })).port;
  }
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

function urlFor(auth: 'basic' | 'digest', codec: 'h264' | 'h265', withCredentials = true): string {
  const creds = withCredentials
    ? `${encodeURIComponent(USER.username)}:${encodeURIComponent(USER.password)}@`
    : '';
  return `rtsp://${creds}127.0.0.1:${ports[auth]}/cam/${codec}`;
}

describe('RtspClient against the project RTSP server', () => {
  const cases = [
    ['h264', 'tcp', 'basic'],
    ['h264', 'udp', 'digest'],
    ['h265', 'tcp', 'digest'],
    ['h265', 'udp', 'basic'],
    ['h264', 'auto', 'digest'],
  ] as const;

  it.concurrent.each(cases)(
    '%s over %s with %s auth: keyframes every GOP, size and timestamps right',
    async (codec, transport, auth) => {
      const expected = facts[codec]!;
      const client = new RtspClient({ url: urlFor(auth, codec), transport, timeoutMs: 5000 });
      try {
        const wanted = 2 * expected.gopFrames + 2;
        const collecting = collectAccessUnits(client, wanted);
        const info = await client.connect();
        expect(info.codec).toBe(codec);
        expect(info.transport).toBe(transport === 'auto' ? 'udp' : transport);
        expect(info.controlUrl).not.toContain(USER.password);
        const { aus, track } = await collecting;

        expect(track?.width).toBe(expected.width);
        expect(track?.height).toBe(expected.height);
        expect(track?.fps).toBeCloseTo(expected.fps, 1);
        expect(track?.codecString).toMatch(codec === 'h264' ? /^avc1\./ : /^hvc1\./);
        expect(track?.parameterSets.sps).toBeDefined();
        expect(track?.parameterSets.pps).toBeDefined();
        if (codec === 'h265') expect(track?.parameterSets.vps).toBeDefined();

        // The client starts at a keyframe and sees one every GOP.
        expect(aus[0]!.isKeyframe).toBe(true);
        const keys = keyframeIndexes(aus);
        expect(keys.length).toBeGreaterThanOrEqual(3);
        for (let i = 1; i < keys.length; i++)
          expect(keys[i]! - keys[i - 1]!).toBe(expected.gopFrames);
        const step = 90000 / expected.fps;
        for (const d of ptsSteps(aus)) expect(Math.abs(d - step)).toBeLessThanOrEqual(90);
        expect(client.stats.droppedPackets).toBe(0);
      } finally {
        await client.close();
      }
    },
  );

  it('sends TEARDOWN on close and emits close without an error', async () => {
    const client = new RtspClient({ url: urlFor('digest', 'h264'), transport: 'tcp' });
    const closed = new Promise<unknown>((resolve) => client.on('close', resolve));
    await client.connect();
    await collectAccessUnits(client, 1);
    expect(servers.digest.readerCount('/cam/h264')).toBeGreaterThanOrEqual(1);
    await client.close();
    expect(await closed).toBeUndefined();
    await expect.poll(() => servers.digest.readerCount('/cam/h264')).toBe(0);
  });

  it('offers the access units as an async iterable', async () => {
    const client = new RtspClient({ url: urlFor('basic', 'h265'), transport: 'tcp' });
    const units = client.accessUnits();
    await client.connect();
    let n = 0;
    let firstKey: boolean | undefined;
    for await (const { au, track } of units) {
      firstKey ??= au.isKeyframe;
      expect(track.codec).toBe('h265');
      if (++n === 5) break;
    }
    expect(firstKey).toBe(true);
    await client.close();
  });

  it.each(['basic', 'digest'] as const)(
    'wrong password with %s → NvrError auth with a redacted URL',
    async (auth) => {
      const client = new RtspClient({
        url: `rtsp://viewer:wrong@127.0.0.1:${ports[auth]}/cam/h264`,
        transport: 'tcp',
      });
      const err = await client.connect().catch((e: unknown) => e);
      expect(isNvrError(err, 'auth')).toBe(true);
      if (!isNvrError(err)) return;
      expect(err.context.url).toBe(`rtsp://127.0.0.1:${ports[auth]}/cam/h264`);
      expect(err.context.method).toBe('OPTIONS');
      expect(typeof err.context.cseq).toBe('number');
      expect(JSON.stringify(err.context)).not.toContain('wrong');
    },
  );

  it('no credentials for a protected camera → NvrError auth', async () => {
    const client = new RtspClient({ url: urlFor('basic', 'h264', false), transport: 'tcp' });
    await expect(client.connect()).rejects.toMatchObject({ kind: 'auth' });
  });

  it('credentials given as options override the URL', async () => {
    const client = new RtspClient({
      url: urlFor('digest', 'h264', false),
      ...USER,
      transport: 'tcp',
    });
    const info = await client.connect();
    expect(info.codec).toBe('h264');
    await client.close();
  });
});
