// Test fixtures of the renderer's state (imported by tests only): a camera and a saved view as the
// engine sends them, with the fields a test does not care about filled in.
import type { Camera, View } from '../../../src-preload/contract';

export function testCamera(id: string, fields: Partial<Camera> = {}): Camera {
  return {
    id,
    name: id,
    enabled: true,
    streams: { main: { url: `rtsp://127.0.0.1/${id}` } },
    hasPassword: false,
    transport: 'auto',
    recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
    createdMs: 0,
    updatedMs: 0,
    ...fields,
  };
}

export function testView(id: string, fields: Partial<View> = {}): View {
  return { id, name: id, layout: '2x2', tiles: [], createdMs: 1, updatedMs: 1, ...fields };
}
