// Serves the demo clips (resources/demo) over RTSP for manual checks and benchmarks:
//   npx tsx scripts/rtsp-demo-server.ts [--port 8554] [--host 127.0.0.1] [--user u --password p [--scheme any|basic|digest]] [--quirks]
//     [--drop-rtp-percent 2] [--drop-keyframes]   (trouble for decode health: UDP loss, keyframes that never arrive)
// Each <scene>-<main|sub>.<h264|h265> file is served at rtsp://HOST:PORT/<scene>/<main|sub>; any other path accepts publishers.
// --quirks adds rtsp://HOST:PORT/quirk/<name> per imitated vendor quirk (src-main/camera/rtsp/QUIRKS.md).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  REDIRECT_QUIRK,
  RTSP_QUIRKS,
  RtspServer,
  quirkCameraUrl,
  quirkMountPath,
} from '../src-main/camera/rtsp';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8554' },
    host: { type: 'string', default: '127.0.0.1' },
    dir: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    scheme: { type: 'string', default: 'any' },
    'drop-rtp-percent': { type: 'string' },
    'drop-keyframes': { type: 'boolean' },
    quirks: { type: 'boolean', default: false },
  },
});

const dir =
  values.dir ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources/demo');
const scheme = values.scheme as 'any' | 'basic' | 'digest';
const faults = {
  ...(values['drop-rtp-percent'] !== undefined
    ? { udpDropRtpPercent: Number(values['drop-rtp-percent']) }
    : {}),
  ...(values['drop-keyframes'] ? { dropKeyframes: true } : {}),
};
const server = new RtspServer({
  ...(values.user !== undefined
    ? { auth: { users: [{ username: values.user, password: values.password ?? '' }], scheme } }
    : {}),
  ...(Object.keys(faults).length > 0 ? { faults } : {}),
});
const urls: string[] = [];
for (const name of readdirSync(dir).sort()) {
  const m = /^(.+)-(main|sub)\.(h264|h265)$/.exec(name);
  if (!m) continue;
  const mountPath = `/${m[1]}/${m[2]}`;
  await server.addClipStream(mountPath, { file: path.join(dir, name) });
  urls.push(mountPath);
}
const quirkUrls: string[] = [];
if (values.quirks) {
  const file = path.join(dir, 'door-sub.h264');
  for (const quirk of RTSP_QUIRKS) {
    await server.addClipStream(quirkMountPath(quirk.name), { file, quirk });
    quirkUrls.push(quirk.name);
  }
  const redirect = quirkMountPath(REDIRECT_QUIRK.name);
  await server.addClipStream(`${redirect}/moved`, { file });
  server.addRedirect(redirect, `${redirect}/moved`);
}
const { port } = await server.listen({ host: values.host, port: Number(values.port) });
const base = `rtsp://${values.host}:${port}`;
for (const name of quirkUrls) {
  const quirk = RTSP_QUIRKS.find((q) => q.name === name)!;
  console.log(`${quirkCameraUrl(base, quirk)}  (${quirk.vendor}: ${quirk.imitates})`);
}
if (values.quirks) console.log(`${base}${quirkMountPath(REDIRECT_QUIRK.name)}  (302)`);
server.on('publish', (p: string) => console.log(`publishing: ${p}`));
server.on('unpublish', (p: string) => console.log(`unpublished: ${p}`));
for (const u of urls) console.log(`rtsp://${values.host}:${port}${u}`);
const shutdown = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
