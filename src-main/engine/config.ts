// Engine configuration from CLI flags and environment (flags beat env), with per-OS defaults.
// Pure: argv, env, platform and home directory are passed in; nothing here touches the disk.
import path from 'node:path';
import { NvrError, isLogLevel } from '../base';
import type { LogLevel } from '../base';

export interface EngineConfig {
  /** Root of everything the engine stores (database, recordings). */
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Start the built-in demo cameras. */
  demo: boolean;
  /** With the demo, one camera per imitated vendor quirk (`--demo-quirks`, NVR_DEMO_QUIRKS=1). */
  demoQuirks?: boolean;
  logLevel: LogLevel;
  /** Folder with the demo clips and icons (`NVR_RESOURCES_DIR`); found from the code's location when absent. */
  resourcesDir?: string;
  /** Folder of the renderer build (`NVR_RENDERER_DIR`); `<project>/dist/renderer` when absent. */
  rendererDir?: string;
  /** `--auth` / NVR_AUTH; when absent: required beyond loopback, open on loopback (see authModeOf). */
  auth?: 'required' | 'loopback-open';
  /** PEM files to serve HTTPS with (`--tls-cert/--tls-key`, NVR_TLS_CERT/NVR_TLS_KEY). */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** `--https` / NVR_HTTPS=1 without files: a self-signed certificate kept in the data folder. */
  https?: boolean;
  /** Origins allowed cross-origin (`--cors-origin a,b`, NVR_CORS_ORIGINS); none by default. */
  corsOrigins?: string[];
  /** Browser session lifetime (NVR_SESSION_TTL_S); 12 h by default. */
  sessionTtlMs?: number;
  /** First admin's password when no admin exists (NVR_ADMIN_PASSWORD; env only: flags show in `ps`). */
  adminPassword?: string;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8480;

export type Env = Record<string, string | undefined>;

export const USAGE = `Usage: serve [--data DIR] [--port N] [--host ADDR] [--demo] [--log-level LEVEL]

  --data DIR         where recordings and the database live (env NVR_DATA_DIR)
  --port N           HTTP port, 0 for any free port (env NVR_PORT, default ${DEFAULT_PORT})
  --host ADDR        address to bind (env NVR_HOST, default ${DEFAULT_HOST}: this machine only)
  --demo             start the built-in demo cameras
  --demo-quirks      the demo plus one camera per imitated vendor RTSP quirk (env NVR_DEMO_QUIRKS=1)
  --log-level LEVEL  trace|debug|info|warn|error|fatal|silent (env NVR_LOG_LEVEL, default info)
  --auth MODE        required|loopback-open (env NVR_AUTH; default: required unless --host is loopback)
  --tls-cert FILE    serve HTTPS with this PEM certificate (env NVR_TLS_CERT; needs --tls-key)
  --tls-key FILE     its PEM private key (env NVR_TLS_KEY)
  --https            serve HTTPS with a self-signed certificate made on first run (env NVR_HTTPS=1)
  --cors-origin LIST comma-separated origins allowed cross-origin (env NVR_CORS_ORIGINS; default none)

  NVR_ADMIN_PASSWORD   password of the first admin (user "admin") when none exists; without it a
                       strong one is generated and printed once
  NVR_SESSION_TTL_S    browser session lifetime in seconds (default 43200)`;

/** Per-OS default data folder: XDG on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultDataDir(platform: string, env: Env, homeDir: string): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(homeDir, 'AppData', 'Roaming');
    return path.win32.join(appData, 'NVR');
  }
  if (platform === 'darwin')
    return path.posix.join(homeDir, 'Library', 'Application Support', 'NVR');
  const xdg = env.XDG_DATA_HOME;
  // XDG says relative values are invalid and must be ignored.
  if (xdg && path.posix.isAbsolute(xdg)) return path.posix.join(xdg, 'nvr');
  return path.posix.join(homeDir, '.local', 'share', 'nvr');
}

function badConfig(message: string, field: string): NvrError {
  return new NvrError('bad_request', message, { field });
}

function parsePort(value: string, source: string): number {
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535)
    throw badConfig(`${source}: "${value}" is not a port number (0..65535)`, 'port');
  return Number(value);
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:.]+)$/;

function parseHost(value: string, source: string): string {
  const host = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (!host || !HOST.test(host))
    throw badConfig(`${source}: "${value}" is not a host name or IP address`, 'host');
  return host;
}

function parseLevel(value: string, source: string): LogLevel {
  const level = value.trim().toLowerCase();
  if (!isLogLevel(level))
    throw badConfig(
      `${source}: "${value}" is not a log level (trace, debug, info, warn, error, fatal, silent)`,
      'logLevel',
    );
  return level;
}

function parseDir(value: string, source: string, cwd: string): string {
  if (!value.trim()) throw badConfig(`${source}: the folder must not be empty`, 'dataDir');
  return path.resolve(cwd, value);
}

export interface ParseOptions {
  platform?: string;
  homeDir?: string;
  cwd?: string;
}

export type ParsedCommand = { kind: 'run'; config: EngineConfig } | { kind: 'help'; text: string };

/**
 * Parses `serve` flags and environment. Throws NvrError('bad_request') with a message naming the flag
 * or variable for unknown flags, missing values and bad values.
 */
export function parseCommandLine(
  argv: readonly string[],
  env: Env,
  options: ParseOptions = {},
): ParsedCommand {
  const platform = options.platform ?? process.platform;
  const homeDir = options.homeDir ?? '';
  const cwd = options.cwd ?? process.cwd();
  const flags = new Map<string, string | true>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return { kind: 'help', text: USAGE };
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw badConfig(`unexpected argument "${arg}"\n${USAGE}`, 'argv');
    const name = m[1] as string;
    if (name === 'demo' || name === 'demo-quirks' || name === 'https') {
      if (m[2] !== undefined) throw badConfig(`--${name} takes no value`, name);
      flags.set(name, true);
      continue;
    }
    if (
      !['data', 'port', 'host', 'log-level', 'auth', 'tls-cert', 'tls-key', 'cors-origin'].includes(
        name,
      )
    )
      throw badConfig(`unknown flag --${name}\n${USAGE}`, 'argv');
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw badConfig(`--${name} needs a value`, name);
      value = next;
      i++;
    }
    flags.set(name, value);
  }

  const flag = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const pick = (flagName: string, envName: string): [string, string] | undefined => {
    const f = flag(flagName);
    if (f !== undefined) return [f, `--${flagName}`];
    const e = env[envName];
    if (e !== undefined && e !== '') return [e, envName];
    return undefined;
  };

  const data = pick('data', 'NVR_DATA_DIR');
  const port = pick('port', 'NVR_PORT');
  const host = pick('host', 'NVR_HOST');
  const level = pick('log-level', 'NVR_LOG_LEVEL');
  if (!data && !homeDir && platform !== 'win32')
    throw badConfig(
      'no data folder: pass --data DIR or set NVR_DATA_DIR (the home folder is unknown)',
      'dataDir',
    );

  const config: EngineConfig = {
    dataDir: data ? parseDir(data[0], data[1], cwd) : defaultDataDir(platform, env, homeDir),
    port: port ? parsePort(port[0], port[1]) : DEFAULT_PORT,
    host: host ? parseHost(host[0], host[1]) : DEFAULT_HOST,
    demo:
      flags.get('demo') === true ||
      env.NVR_DEMO === '1' ||
      flags.get('demo-quirks') === true ||
      env.NVR_DEMO_QUIRKS === '1',
    logLevel: level ? parseLevel(level[0], level[1]) : 'info',
  };
  const auth = pick('auth', 'NVR_AUTH');
  if (auth) {
    if (auth[0] !== 'required' && auth[0] !== 'loopback-open')
      throw badConfig(`${auth[1]}: "${auth[0]}" is not required or loopback-open`, 'auth');
    config.auth = auth[0];
  }
  const cert = pick('tls-cert', 'NVR_TLS_CERT');
  const key = pick('tls-key', 'NVR_TLS_KEY');
  if (!cert !== !key) throw badConfig('--tls-cert and --tls-key go together', 'tls');
  if (cert && key) {
    config.tlsCertFile = parseDir(cert[0], cert[1], cwd);
    config.tlsKeyFile = parseDir(key[0], key[1], cwd);
  }
  if (flags.get('https') === true || env.NVR_HTTPS === '1') config.https = true;
  if (flags.get('demo-quirks') === true || env.NVR_DEMO_QUIRKS === '1') config.demoQuirks = true;
  const cors = pick('cors-origin', 'NVR_CORS_ORIGINS');
  if (cors) {
    const origins = cors[0]
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    for (const o of origins)
      if (!/^https?:\/\/[A-Za-z0-9.\-[\]:]+$/.test(o))
        throw badConfig(
          `${cors[1]}: "${o}" is not an origin (scheme://host[:port])`,
          'corsOrigins',
        );
    config.corsOrigins = origins;
  }
  const ttl = env.NVR_SESSION_TTL_S;
  if (ttl !== undefined && ttl !== '') {
    if (!/^\d{1,9}$/.test(ttl) || Number(ttl) < 1)
      throw badConfig(`NVR_SESSION_TTL_S: "${ttl}" is not a number of seconds`, 'sessionTtlMs');
    config.sessionTtlMs = Number(ttl) * 1000;
  }
  if (env.NVR_ADMIN_PASSWORD) config.adminPassword = env.NVR_ADMIN_PASSWORD;
  if (env.NVR_RESOURCES_DIR) config.resourcesDir = path.resolve(cwd, env.NVR_RESOURCES_DIR);
  if (env.NVR_RENDERER_DIR) config.rendererDir = path.resolve(cwd, env.NVR_RENDERER_DIR);
  return { kind: 'run', config };
}

/** True when the host is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The effective auth mode: as configured, else required beyond loopback and open on loopback. */
export function authModeOf(
  config: Pick<EngineConfig, 'auth' | 'host'>,
): 'required' | 'loopback-open' {
  return config.auth ?? (isLoopbackHost(config.host) ? 'loopback-open' : 'required');
}
