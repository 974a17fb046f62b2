// The architecture rules (DESIGN §2) reject what they should, with a message saying why.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The snippets are linted as files that do not exist, so without type information (the byte
// rule, which needs it, is tested in bytes.test.ts).
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { 'bytes/no-slice': 'off' },
  },
});

async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'layers/imports')
    .map((m) => m.message);
}

describe('layering rules', () => {
  it('rejects electron in the engine (rule 2)', async () => {
    const messages = await lint('src-main/engine/x.ts', "import 'electron';\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/plain Node/);
  });

  it('allows electron in the app layer and the preload', async () => {
    expect(await lint('src-main/app/x.ts', "import 'electron';\n")).toEqual([]);
    expect(await lint('src-preload/x.ts', "import 'electron';\n")).toEqual([]);
    expect(await lint('src-preload/contract/x.ts', "import 'electron';\n")).toHaveLength(1);
  });

  it('keeps media pure (rule 1)', async () => {
    expect(
      await lint('src-main/media/h264/x.ts', "import { createSocket } from 'node:dgram';\n"),
    ).toHaveLength(1);
    expect(
      (await lint('src-main/media/h264/x.ts', "import { x } from '../../storage';\n"))[0],
    ).toMatch(/pure/);
    expect(
      await lint('src-main/media/h264/x.ts', "import { NvrError } from '../../base';\n"),
    ).toEqual([]);
  });

  it('keeps base at the bottom (rule 1)', async () => {
    expect(await lint('src-main/base/x.ts', "import { x } from '../media';\n")).toHaveLength(1);
    expect(await lint('src-main/base/x.ts', "import z from 'zod';\n")).toHaveLength(1);
  });

  it('lets only the renderer import types from the contract (rule 3)', async () => {
    expect(
      await lint(
        'src-renderer/x.ts',
        "import { NVR_API_METHODS } from '../src-preload/contract';\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint('src-renderer/x.ts', "import type { NvrApi } from '../src-preload/contract';\n"),
    ).toEqual([]);
    expect(
      await lint('src-renderer/x.ts', "import { x } from '../src-main/engine';\n"),
    ).toHaveLength(1);
  });

  it('gives SQLite and werift one owner each (rule 4)', async () => {
    expect(
      (await lint('src-main/engine/x.ts', "import Database from 'better-sqlite3';\n"))[0],
    ).toMatch(/storage/);
    expect(await lint('src-main/storage/x.ts', "import Database from 'better-sqlite3';\n")).toEqual(
      [],
    );
    expect(
      (await lint('src-main/recorder/x.ts', "import { RTCPeerConnection } from 'werift';\n"))[0],
    ).toMatch(/live/);
  });

  it('crosses modules only through their index (rule 5)', async () => {
    expect(
      (await lint('src-main/engine/x.ts', "import { x } from '../base/errors';\n"))[0],
    ).toMatch(/index\.ts/);
    expect(await lint('src-main/engine/x.ts', "import { x } from '../base';\n")).toEqual([]);
  });

  it('guards the stairs: a middle module imports only those below it', async () => {
    const up = await lint('src-main/storage/x.ts', "import { x } from '../camera';\n");
    expect(up).toHaveLength(1);
    expect(up[0]).toMatch(/storage .* may import only base, media; camera is above or beside it/);
    expect((await lint('src-main/recorder/x.ts', "import { x } from '../playback';\n"))[0]).toMatch(
      /stairs/,
    );
    expect(await lint('src-main/server/x.ts', "import { x } from '../engine';\n")).toHaveLength(1);
    expect(await lint('src-main/camera/x.ts', "import { x } from '../storage';\n")).toHaveLength(1);
    // Tests stand on the same stairs: an HTTP test against a whole engine lives in engine/.
    expect(
      await lint('src-main/server/x.test.ts', "import { x } from '../engine';\n"),
    ).toHaveLength(1);
    expect(await lint('src-main/playback/x.ts', "import { x } from '../recorder';\n")).toEqual([]);
    expect(await lint('src-main/engine/x.ts', "import { x } from '../server';\n")).toEqual([]);
  });

  it('lets only the modules that own files use node:fs', async () => {
    const live = await lint('src-main/live/x.ts', "import fs from 'node:fs';\n");
    expect(live).toHaveLength(1);
    expect(live[0]).toMatch(/storage \(recordings and the index\)/);
    expect(
      await lint('src-main/camera/x.ts', "import { readFile } from 'node:fs/promises';\n"),
    ).toHaveLength(1);
    expect(await lint('src-main/storage/x.ts', "import fs from 'node:fs';\n")).toEqual([]);
    expect(await lint('src-main/live/x.test.ts', "import fs from 'node:fs';\n")).toEqual([]);
  });

  it('keeps production code off testing/ folders', async () => {
    const demo = await lint(
      'src-main/engine/x.ts',
      "import { startFakeOnvifDevices } from '../camera/rtsp/testing';\n",
    );
    expect(demo).toHaveLength(1);
    expect(demo[0]).toMatch(/testing\/ folder/);
    expect(
      await lint('src-main/engine/x.test.ts', "import { x } from '../camera/rtsp/testing';\n"),
    ).toEqual([]);
    expect(
      await lint('src-main/engine/x.ts', "import { x } from '../camera/onvif/demo';\n"),
    ).toEqual([]);
  });

  it('keeps recorder and live apart', async () => {
    expect((await lint('src-main/recorder/x.ts', "import { x } from '../live';\n"))[0]).toMatch(
      /sibling/,
    );
  });
});

describe('test code', () => {
  it('may drive a pure module with I/O, but production code may not', async () => {
    expect(
      await lint(
        'src-main/media/fmp4/x.test.ts',
        "import { execFileSync } from 'node:child_process';\n",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'src-main/media/fmp4/x.ts',
        "import { execFileSync } from 'node:child_process';\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint('src-main/media/fmp4/x.test.ts', "import { x } from '../../storage';\n"),
    ).toHaveLength(1);
  });
});
