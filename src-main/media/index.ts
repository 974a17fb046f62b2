// src-main/media: pure codecs and containers (bytes in, values out). No I/O, no timers, no logging.
export * from './types';
export * from './dts-deriver';
