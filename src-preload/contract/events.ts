// The event map: what the engine pushes to every client (IPC events in Electron, WebSocket messages on
// `GET /api/events`). One schema per event name; a message is `{ type, payload }`. Only zod here.
import { z } from 'zod';
import {
  CameraIdSchema,
  CameraSchema,
  CameraStatusSchema,
  DiscoveredDeviceSchema,
  ExportJobSchema,
  StreamNameSchema,
  StreamStatusSchema,
  SystemInfoSchema,
} from './schemas';
import { ViewSchema } from './view-schemas';

/** The WebSocket route that carries the event map (messages are JSON `{ type, payload }`). */
export const NVR_EVENTS_PATH = '/api/events';

export const NVR_EVENTS = {
  /** A camera changed state (connecting, streaming, reconnecting, failed…). */
  'camera.state': z.object({ id: CameraIdSchema, status: CameraStatusSchema }),
  /** Periodic per stream statistics of one camera (about once a second while streaming). */
  'camera.stats': z.object({
    id: CameraIdSchema,
    streams: z.object({ main: StreamStatusSchema.optional(), sub: StreamStatusSchema.optional() }),
  }),
  'camera.added': z.object({ camera: CameraSchema }),
  'camera.updated': z.object({ camera: CameraSchema }),
  'camera.removed': z.object({ id: CameraIdSchema }),
  /** New recorded media: the recorded range of `stream` now reaches `endMs`. */
  'recording.progress': z.object({
    id: CameraIdSchema,
    stream: StreamNameSchema,
    endMs: z.number().int(),
  }),
  'export.progress': ExportJobSchema,
  'discovery.result': z.object({ device: DiscoveredDeviceSchema }),
  'discovery.done': z.object({ count: z.number().int() }),
  'system.stats': SystemInfoSchema,
  /** Saved views changed (saved or deleted): the whole list, in display order. */
  'views.changed': z.object({ views: z.array(ViewSchema) }),
} as const;

export type NvrEventName = keyof typeof NVR_EVENTS;
export type NvrEventMap = { [K in NvrEventName]: z.infer<(typeof NVR_EVENTS)[K]> };

/** One event as sent on the wire: `{ type: 'camera.state', payload: {...} }`. */
export type NvrEvent = { [K in NvrEventName]: { type: K; payload: NvrEventMap[K] } }[NvrEventName];

export const NVR_EVENT_NAMES = Object.keys(NVR_EVENTS) as NvrEventName[];

export type NvrEventListener = (event: NvrEvent) => void;
export type Unsubscribe = () => void;

export function isNvrEventName(value: unknown): value is NvrEventName {
  return typeof value === 'string' && Object.hasOwn(NVR_EVENTS, value);
}

/** Validates a raw message (e.g. a parsed WebSocket frame); returns undefined for anything else. */
export function parseNvrEvent(raw: unknown): NvrEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, payload } = raw as { type?: unknown; payload?: unknown };
  if (!isNvrEventName(type)) return undefined;
  const parsed = NVR_EVENTS[type].safeParse(payload);
  return parsed.success ? ({ type, payload: parsed.data } as NvrEvent) : undefined;
}

/** Builds a typed event (helps the engine emit without casts). */
export function nvrEvent<K extends NvrEventName>(type: K, payload: NvrEventMap[K]): NvrEvent {
  return { type, payload } as NvrEvent;
}
