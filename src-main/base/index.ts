// src-main/base: the bottom layer (errors, time, clock, logger, backoff, disposables). Imports nothing.
export * from './errors';
