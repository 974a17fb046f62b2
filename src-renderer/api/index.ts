// Renderer API client: NvrApi over IPC (window.nvr) or HTTP + WebSocket. Public API of src-renderer/api.
export { createApiClient } from './create-api-client';
export { createHttpTransport, parseEventFrame, LOGIN_PAGE_PATH } from './http-transport';
export type { HttpTransport, HttpTransportOptions, WebSocketLike } from './http-transport';
export { createIpcTransport, LOCAL_ADMIN } from './ipc-transport';
export type { IpcTransport } from './ipc-transport';
export { ApiCallError, toApiCallError } from './api-error';
export { HTTP_ROUTES, buildRequest } from './http-routes';
export type { HttpRoute, ContractHttpRoutes } from './http-routes';
export type { Identity, Transport, TransportControl, LinkState, LinkListener } from './transport';
