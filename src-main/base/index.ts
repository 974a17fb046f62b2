// src-main/base: the bottom layer (errors, time, clock, logger, backoff, disposables). Imports nothing.
export * from './errors';
export * from './time';
export * from './clock';
export * from './logger';
export * from './backoff';
export * from './disposable';
export * from './log-limiter';
export * from './bytes';
