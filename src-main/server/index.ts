// src-main/server: HTTP routes derived from the contract, the events WebSocket, the static renderer.
export { createHttpServer, formatBaseUrl } from './http-server';
export type { HttpServer, HttpServerOptions } from './http-server';
export type {
  ResourceHandlers,
  ResourceMethodName,
  ResourceReply,
  ResourceRequest,
} from './api-routes';
export { toHttpError, httpError } from './http-errors';
export type { HttpError } from './http-errors';
export { isApiPath } from './renderer-static';
export { LIVE_FILE_ROUTE } from './live-routes';
export type { LiveFileHandler, LiveFileRequest } from './live-routes';
export { SEGMENT_FILE_ROUTE } from './playback-routes';
export type { SegmentFileHandler, SegmentFileRequest } from './playback-routes';
export { AuthService, MemoryAuthStore, MIN_PASSWORD_LENGTH, publicUser } from './auth-service';
export type {
  AuthStore,
  AuthUser,
  AuthToken,
  AuditEntry,
  AuthRole,
  Principal,
  PublicUser,
  LoginResult,
  AuthServiceOptions,
} from './auth-service';
export { registerAuth, SESSION_COOKIE, parseCookies } from './auth-hook';
export type { AuthMode, AuthHttpOptions } from './auth-hook';
export { accessFor, VIEWER_METHODS, AUTH_LOGIN_PATH, AUTH_WHOAMI_PATH } from './auth-policy';
export { hashPassword, verifyPassword, generatePassword } from './auth-crypto';
export { createAuthHandlers, AUTH_METHOD_NAMES } from './auth-handlers';
export type { AuthHandlers, AuthMethodName } from './auth-handlers';
export { runWithCallContext, currentCallContext } from './auth-context';
export type { CallContext } from './auth-context';
