// Structured JSON-lines logger with levels and child(bindings); no packages. Its shape is the one
// fastify 5 accepts as `loggerInstance` (pino's BaseLogger subset). It formats and writes; no buffering.
import { format } from 'node:util';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const LEVEL_VALUE: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** pino-style: `log({ camera }, 'connected to %s', url)` or `log('text')`. */
export interface LogFn {
  (obj: object, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}

export type Serializer = (value: unknown) => unknown;

export interface ChildOptions {
  level?: string;
  /** Per key transforms (fastify passes req/res/err serializers). */
  serializers?: Record<string, Serializer>;
}

export interface Logger {
  /** Threshold; records below it are dropped. Settable. */
  level: string;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  silent: LogFn;
  /** A logger whose records all carry `bindings` (e.g. `{ module: 'rtsp', camera: 'c1' }`). */
  child(bindings: Record<string, unknown>, options?: ChildOptions): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Receives one JSON text per record, without newline. Defaults to stderr (stdout stays for CLI output). */
  sink?: (line: string) => void;
  /** ms since epoch; Date.now by default. */
  nowMs?: () => number;
  bindings?: Record<string, unknown>;
  serializers?: Record<string, Serializer>;
}

/** Errors as plain data: type, message, stack, kind/context of NvrError, cause. */
export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = {
    type: value.name,
    message: value.message,
    stack: value.stack,
  };
  for (const [k, v] of Object.entries(value)) if (!(k in out)) out[k] = v;
  if (value.cause !== undefined && depth < 3) out.cause = serializeError(value.cause, depth + 1);
  return out;
}

const DEFAULT_SERIALIZERS: Record<string, Serializer> = {
  err: serializeError,
  error: serializeError,
};

function safeStringify(record: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(record, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return serializeError(value);
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

const stderrSink = (line: string): void => {
  process.stderr.write(line + '\n');
};

export function createLogger(options: LoggerOptions = {}): Logger {
  return makeLogger({
    state: { level: options.level ?? 'info' },
    sink: options.sink ?? stderrSink,
    nowMs: options.nowMs ?? Date.now,
    bindings: options.bindings ?? {},
    serializers: { ...DEFAULT_SERIALIZERS, ...options.serializers },
  });
}

interface LoggerParts {
  state: { level: string };
  sink: (line: string) => void;
  nowMs: () => number;
  bindings: Record<string, unknown>;
  serializers: Record<string, Serializer>;
}

function makeLogger(parts: LoggerParts): Logger {
  const { sink, nowMs, bindings, serializers, state } = parts;
  const enabled = (level: LogLevel) => {
    const threshold = isLogLevel(state.level) ? LEVEL_VALUE[state.level] : LEVEL_VALUE.info;
    return level !== 'silent' && LEVEL_VALUE[level] >= threshold;
  };

  const write = (level: LogLevel, first: unknown, rest: unknown[]) => {
    if (!enabled(level)) return;
    const record: Record<string, unknown> = { level, time: nowMs(), ...bindings };
    let msg: string | undefined;
    if (typeof first === 'string') {
      msg = format(first, ...rest);
    } else {
      const [m, ...args] = rest;
      if (typeof m === 'string') msg = format(m, ...args);
      if (first instanceof Error) {
        record.err = serializeError(first);
        msg ??= first.message;
      } else if (typeof first === 'object' && first !== null) {
        for (const [key, value] of Object.entries(first)) {
          const ser = serializers[key];
          record[key] = ser ? ser(value) : value;
        }
      }
    }
    if (msg !== undefined) record.msg = msg;
    try {
      sink(safeStringify(record));
    } catch {
      // A logger never throws into its caller.
    }
  };

  const fn =
    (level: LogLevel): LogFn =>
    (first: unknown, ...rest: unknown[]) =>
      write(level, first, rest);

  const logger: Logger = {
    get level() {
      return state.level;
    },
    set level(value: string) {
      state.level = value;
    },
    trace: fn('trace'),
    debug: fn('debug'),
    info: fn('info'),
    warn: fn('warn'),
    error: fn('error'),
    fatal: fn('fatal'),
    silent: () => undefined,
    child: (childBindings, childOptions = {}) =>
      makeLogger({
        state: { level: childOptions.level ?? state.level },
        sink,
        nowMs,
        bindings: { ...bindings, ...childBindings },
        serializers: { ...serializers, ...childOptions.serializers },
      }),
    isLevelEnabled: enabled,
  };
  return logger;
}

/** Collects records in memory (tests): `records` are parsed lines. */
export function memorySink(): {
  sink: (line: string) => void;
  lines: string[];
  records: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  return {
    sink: (line) => lines.push(line),
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A logger that drops everything. */
export function nullLogger(): Logger {
  return createLogger({ level: 'silent', sink: () => undefined });
}
