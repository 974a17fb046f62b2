// The byte rule (scripts/eslint/bytes.js) rejects `.slice()` on Uint8Array/Buffer with a message
// saying why, and leaves Array#slice and String#slice alone.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function lint(code: string, filePath = 'src-main/media/nal/annex-b.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'bytes/no-slice' || m.fatal)
    .map((m) => m.message);
}

describe('bytes/no-slice', () => {
  // The first call builds the type-checked program of src-main: slow on a loaded machine.
  it(
    'rejects .slice() on a Uint8Array, a Buffer and a union holding one',
    { timeout: 180_000 },
    async () => {
      const messages = await lint(
        [
          "import { Buffer } from 'node:buffer';",
          'export function f(a: Uint8Array, b: Buffer, c: Uint8Array | undefined): unknown[] {',
          '  return [a.slice(1), b.slice(0, 2), c?.slice(), new Uint8Array(4).slice()];',
          '}',
          '',
        ].join('\n'),
      );
      expect(messages).toHaveLength(4);
      expect(messages[0]).toMatch(/Buffer#slice is a view/);
      expect(messages[0]).toMatch(/subarray/);
      expect(messages[0]).toMatch(/copyBytes/);
    },
  );

  it('allows subarray, copyBytes, Array#slice and String#slice', async () => {
    const messages = await lint(
      [
        "import { copyBytes } from '../../base';",
        'export function f(a: Uint8Array, s: string, xs: number[], ys: Uint8Array[]): unknown[] {',
        '  return [a.subarray(1), copyBytes(a, 1), s.slice(1), xs.slice(1), ys.slice(1)];',
        '}',
        '',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  });
});
