// Registers one fastify route per NvrApi method, derived from NVR_API_METHODS (no route strings here),
// plus the generic `POST /api/rpc/:method`. Validates every input with the contract's schemas; never
// lets a request parameter reach the filesystem (resource handlers get validated values only).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import {
  NVR_API_METHODS,
  NVR_METHOD_NAMES,
  NVR_RPC_PATH,
  isNvrMethodName,
  methodPath,
  validateInput,
} from '../../src-preload/contract';
import type {
  HttpBinding,
  MethodParsedInput,
  NvrApi,
  NvrMethodName,
} from '../../src-preload/contract';
import { httpError } from './http-errors';
import { runWithCallContext } from './auth-context';
import type { HttpError } from './http-errors';

/** Methods whose route answers with a resource (playlist, JPEG, MP4) rather than JSON. */
export type ResourceMethodName = {
  [K in NvrMethodName]: (typeof NVR_API_METHODS)[K]['http'] extends { resource: string }
    ? K
    : never;
}[NvrMethodName];

export interface ResourceRequest {
  /** The `Range` header, if any (answer 206 with `status` and `content-range`). */
  range?: string;
  /** The `If-None-Match` header, if any (answer 304 when it matches the ETag). */
  ifNoneMatch?: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface ResourceReply {
  contentType: string;
  body: string | Uint8Array | Readable;
  status?: number;
  headers?: Record<string, string>;
}

/** Serves the resource routes; a method without a handler answers 501. */
export type ResourceHandlers = {
  [K in ResourceMethodName]?: (
    input: MethodParsedInput<K>,
    request: ResourceRequest,
  ) => Promise<ResourceReply>;
};

/** What a resource route says while its module does not exist yet. */
const NOT_IMPLEMENTED: Record<ResourceMethodName, string> = {
  getLivePlaylistUrl: 'Live HLS is not implemented yet',
  getVodPlaylistUrl: 'Playback HLS is not implemented yet',
  getSnapshotUrl: 'Snapshots are not implemented yet',
  getClipDownloadUrl: 'MP4 export is not implemented yet',
  getExportFileUrl: 'Export files are not implemented yet',
  getThumbnailUrl: 'Timeline thumbnails are not implemented yet',
};

function isResource(name: NvrMethodName): name is ResourceMethodName {
  return 'resource' in NVR_API_METHODS[name].http;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reassembles a method input from path, query and body, the inverse of the contract's toHttpRequest. */
function rawInput(
  binding: HttpBinding,
  req: FastifyRequest,
): { raw: unknown } | { error: HttpError } {
  const params = isPlainObject(req.params) ? req.params : {};
  const query = isPlainObject(req.query) ? req.query : {};
  if (binding.body === '*') {
    if (req.body !== undefined && !isPlainObject(req.body))
      return { error: httpError('bad_request', 'body: must be a JSON object', 'body') };
    return { raw: { ...query, ...(req.body ?? {}), ...params } };
  }
  if (binding.body) return { raw: { ...query, [binding.body]: req.body, ...params } };
  return { raw: { ...query, ...params } };
}

function sendError(reply: FastifyReply, e: HttpError): FastifyReply {
  return reply.code(e.status).send(e.body);
}

async function sendResource(reply: FastifyReply, res: ResourceReply): Promise<FastifyReply> {
  reply.code(res.status ?? 200).header('content-type', res.contentType);
  for (const [k, v] of Object.entries(res.headers ?? {})) reply.header(k, v);
  return reply.send(res.body);
}

type AnyCall = (input: unknown) => Promise<unknown>;

/** Runs an API call with the request's principal and address as the call context (audit actor). */
function callAs<T>(req: FastifyRequest, fn: () => Promise<T>): Promise<T> {
  return runWithCallContext(
    { address: req.ip, ...(req.principal ? { principal: req.principal } : {}) },
    fn,
  );
}

export interface ApiRoutesOptions {
  api: NvrApi;
  resources: ResourceHandlers;
}

export function registerApiRoutes(
  app: FastifyInstance,
  { api, resources }: ApiRoutesOptions,
): void {
  for (const name of NVR_METHOD_NAMES) {
    const binding: HttpBinding = NVR_API_METHODS[name].http;
    const bodyKey = binding.body && binding.body !== '*' ? binding.body : undefined;

    app.route({
      method: binding.method,
      url: binding.path,
      handler: async (req, reply) => {
        const assembled = rawInput(binding, req);
        if ('error' in assembled) return sendError(reply, assembled.error);
        const input = validateInput(name, assembled.raw, bodyKey ? { dropPrefix: bodyKey } : {});
        if (!input.ok)
          return sendError(
            reply,
            httpError(input.error.kind, input.error.message, input.error.field),
          );

        if (isResource(name)) {
          const handler = resources[name] as
            ((input: unknown, r: ResourceRequest) => Promise<ResourceReply>) | undefined;
          if (!handler)
            return sendError(reply, httpError('not_implemented', NOT_IMPLEMENTED[name]));
          const abort = new AbortController();
          req.raw.once('close', () => abort.abort());
          const range = req.headers.range;
          const ifNoneMatch = req.headers['if-none-match'];
          return sendResource(
            reply,
            await callAs(req, () =>
              handler(input.value, {
                signal: abort.signal,
                ...(range ? { range } : {}),
                ...(ifNoneMatch ? { ifNoneMatch } : {}),
              }),
            ),
          );
        }

        const result = await callAs(req, () => (api[name] as AnyCall)(input.value));
        if (binding.sdp) {
          const answer = result as { sdp: string; sessionId: string };
          const path = req.url.split('?')[0] ?? '';
          return reply
            .code(binding.status ?? 201)
            .header('content-type', 'application/sdp')
            .header('location', `${path}/${encodeURIComponent(answer.sessionId)}`)
            .send(answer.sdp);
        }
        return reply.code(binding.status ?? 200).send(result);
      },
    });
  }

  app.post(NVR_RPC_PATH, async (req, reply) => {
    const { method } = req.params as { method: string };
    if (!isNvrMethodName(method))
      return sendError(reply, httpError('not_found', `no API method ${method}`, 'method'));
    const input = validateInput(method, req.body ?? {});
    if (!input.ok)
      return sendError(reply, httpError(input.error.kind, input.error.message, input.error.field));
    if (isResource(method)) return reply.send({ url: methodPath(method, input.value) });
    return reply.send(await callAs(req, () => (api[method] as AnyCall)(input.value)));
  });
}
