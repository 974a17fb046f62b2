// Property tests: whatever bytes a camera sends back (random, or a real transcript with bytes
// flipped and cut), RtspClient settles and fails only with an NvrError, never another exception.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NvrError, copyBytes } from '../../base';
import { H264Packetizer } from '../../media/rtp';
import { buildSdp } from '../../media/sdp';
import { RtspClient } from './client';
import { loadClip } from './clip-source';
import { encodeInterleaved, getHeader, serializeResponse } from './message';
import type { RtspRequest } from './message';
import { startFakeCamera } from './testing';
import type { FakeCamera, FakeConnection } from './testing';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');

type Script = (req: RtspRequest, conn: FakeConnection) => void;
let script: Script = () => undefined;
let camera: FakeCamera;
let transcript: (cseq: string) => Uint8Array[];
let rtpFrames: Uint8Array[];

beforeAll(async () => {
  camera = await startFakeCamera({ onRequest: (req, conn) => script(req, conn) });
  const clip = await loadClip(path.join(DEMO, 'door-sub.h264'));
  const sdp = buildSdp({
    sessionName: 'fuzz',
    tracks: [
      { codec: 'h264', payloadType: 96, control: 'trackID=0', parameterSets: clip.parameterSets },
    ],
  });
  const packetizer = new H264Packetizer({ payloadType: 96, ssrc: 99, aggregate: true });
  rtpFrames = clip.accessUnits
    .slice(0, 3)
    .flatMap((au, i) =>
      packetizer
        .packetize({ nalus: au.nalus, rtpTimestamp: i * 6000 })
        .map((p) => encodeInterleaved(0, p)),
    );
  const session: [string, string] = ['Session', 'abc;timeout=30'];
  transcript = (cseq) => [
    serializeResponse({
      statusCode: 200,
      headers: [
        ['CSeq', cseq],
        ['Public', 'OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER'],
      ],
    }),
    serializeResponse({
      statusCode: 200,
      headers: [
        ['CSeq', cseq],
        ['Content-Type', 'application/sdp'],
        ['Content-Base', `${camera.url}/`],
      ],
      body: sdp,
    }),
    serializeResponse({
      statusCode: 200,
      headers: [['CSeq', cseq], session, ['Transport', 'RTP/AVP/TCP;unicast;interleaved=0-1']],
    }),
    serializeResponse({ statusCode: 200, headers: [['CSeq', cseq], session] }),
  ];
});

afterAll(async () => {
  await camera.close();
});

/** Connects, lets a little data flow, closes; returns what went wrong (undefined when nothing did). */
async function exercise(): Promise<unknown> {
  const client = new RtspClient({ url: camera.url, transport: 'tcp', timeoutMs: 150 });
  let closeArg: unknown;
  client.on('close', (err) => (closeArg = err));
  const outcome = await client.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (outcome === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  await client.close();
  if (closeArg !== undefined && !(closeArg instanceof NvrError)) return closeArg;
  return outcome;
}

const mutation = fc.array(fc.record({ pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), {
  maxLength: 6,
});

function mutate(
  bytes: Uint8Array,
  edits: { pos: number; byte: number }[],
  cut: number | undefined,
): Uint8Array {
  const out = copyBytes(bytes, 0, cut === undefined ? bytes.length : cut % (bytes.length + 1));
  for (const e of edits) if (out.length > 0) out[e.pos % out.length] = e.byte;
  return out;
}

describe('RtspClient response handling (fast-check)', () => {
  it('random bytes for an answer: rejects with an NvrError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (bytes, hangUp) => {
        script = (_req, conn) => {
          conn.write(bytes);
          if (hangUp) conn.close();
        };
        const err = await exercise();
        expect(err).toBeInstanceOf(NvrError);
      }),
      { numRuns: 60 },
    );
  });

  it('a real transcript with bytes flipped or cut: connects or fails with an NvrError', async () => {
    const step = fc.record({ edits: mutation, cut: fc.option(fc.nat(), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 4, maxLength: 4 }),
        fc.array(mutation, { maxLength: 20 }),
        async (steps, rtpEdits) => {
          let k = 0;
          script = (req, conn) => {
            const i = k++;
            const answer = transcript(getHeader(req.headers, 'cseq') ?? '0')[i];
            if (!answer) return;
            conn.write(mutate(answer, steps[i]!.edits, steps[i]!.cut));
            if (i === 3)
              rtpFrames.forEach((f, j) => conn.write(mutate(f, rtpEdits[j] ?? [], undefined)));
          };
          const err = await exercise();
          if (err !== undefined) expect(err).toBeInstanceOf(NvrError);
        },
      ),
      { numRuns: 50 },
    );
  });
});
