import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, defaultDataDir, isLoopbackHost, parseCommandLine } from './config';
import type { Env } from './config';
import { isNvrError } from '../base';

const opts = { platform: 'linux', homeDir: '/home/u', cwd: '/work' };
const run = (argv: string[], env: Env = {}) => {
  const parsed = parseCommandLine(argv, env, opts);
  if (parsed.kind !== 'run') throw new Error('expected run');
  return parsed.config;
};
const failure = (argv: string[], env: Env = {}) => {
  try {
    parseCommandLine(argv, env, opts);
  } catch (e) {
    expect(isNvrError(e, 'bad_request')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a failure');
};

describe('parseCommandLine', () => {
  it('has loopback defaults', () => {
    expect(run([])).toEqual({
      dataDir: '/home/u/.local/share/nvr',
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      demo: false,
      logLevel: 'info',
    });
    expect(DEFAULT_PORT).toBe(8480);
  });

  it('reads flags in both spellings', () => {
    expect(
      run(['--data', 'rel/dir', '--port', '0', '--host', '::1', '--demo', '--log-level=debug']),
    ).toEqual({
      dataDir: '/work/rel/dir',
      port: 0,
      host: '::1',
      demo: true,
      logLevel: 'debug',
    });
    expect(run(['--port=9000', '--data=/abs']).port).toBe(9000);
    expect(run(['--host', '[fe80::1]']).host).toBe('fe80::1');
  });

  it('reads the environment, and flags beat it', () => {
    const env = {
      NVR_DATA_DIR: '/env/data',
      NVR_PORT: '9001',
      NVR_HOST: '0.0.0.0',
      NVR_LOG_LEVEL: 'WARN',
    };
    expect(run([], env)).toMatchObject({
      dataDir: '/env/data',
      port: 9001,
      host: '0.0.0.0',
      logLevel: 'warn',
    });
    expect(run(['--port', '9002', '--data', '/flag', '--host', 'localhost'], env)).toMatchObject({
      dataDir: '/flag',
      port: 9002,
      host: 'localhost',
    });
    expect(run([], { NVR_RESOURCES_DIR: 'res', NVR_RENDERER_DIR: '/r' })).toMatchObject({
      resourcesDir: '/work/res',
      rendererDir: '/r',
    });
  });

  it.each([
    [['--port', 'abc'], '--port: "abc" is not a port number'],
    [['--port', '70000'], 'is not a port number (0..65535)'],
    [['--port', '-1'], '--port: "-1" is not a port number'],
    [['--port'], '--port needs a value'],
    [['--host', 'bad host'], '--host: "bad host" is not a host name'],
    [['--log-level', 'loud'], 'is not a log level'],
    [['--frobnicate'], 'unknown flag --frobnicate'],
    [['serve'], 'unexpected argument "serve"'],
    [['--demo=yes'], '--demo takes no value'],
    [['--data', ''], '--data: the folder must not be empty'],
  ])('rejects %j', (argv, message) => {
    expect(failure(argv)).toContain(message);
  });

  it('names the variable for bad environment values', () => {
    expect(failure([], { NVR_PORT: 'eighty' })).toContain(
      'NVR_PORT: "eighty" is not a port number',
    );
    expect(failure([], { NVR_HOST: 'a b' })).toContain('NVR_HOST');
  });

  it('answers --help with the usage text', () => {
    const parsed = parseCommandLine(['--help'], {}, opts);
    expect(parsed.kind).toBe('help');
    if (parsed.kind === 'help') expect(parsed.text).toContain('--data DIR');
  });
});

describe('defaultDataDir', () => {
  it('follows each OS convention', () => {
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/x/data' }, '/home/u')).toBe('/x/data/nvr');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'relative' }, '/home/u')).toBe(
      '/home/u/.local/share/nvr',
    );
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe(
      '/Users/u/Library/Application Support/NVR',
    );
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u'),
    ).toBe('C:\\Users\\u\\AppData\\Roaming\\NVR');
    expect(defaultDataDir('win32', {}, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\NVR');
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });
});
