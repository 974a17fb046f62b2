// The fake ONVIF device's PTZ service: a position, a continuous-move velocity and presets that the
// SOAP requests change, so tests can assert what a command did. State only; no I/O.
import { child } from '../xml';
import type { XmlElement } from '../xml';
import * as soap from './fake-soap';
import type { FakePreset } from './fake-soap';

export interface FakePtzState {
  pan: number;
  tilt: number;
  zoom: number;
  /** Current continuous-move velocity, undefined when stopped. */
  velocity?: { pan: number; tilt: number; zoom: number };
  presets: FakePreset[];
  /** Numbering of presets made by SetPreset. */
  nextPreset: number;
}

export function newPtzState(): FakePtzState {
  return {
    pan: 0,
    tilt: 0,
    zoom: 0,
    nextPreset: 1,
    presets: [
      { token: 'preset_1', name: 'Gate', pan: 0.5, tilt: -0.2, zoom: 0 },
      { token: 'preset_2', name: 'Driveway', pan: -0.4, tilt: 0.1, zoom: 0.5 },
    ],
  };
}

const num = (v: string | undefined) =>
  v === undefined || !Number.isFinite(Number(v)) ? 0 : Number(v);

/** Answers one PTZ action (a SOAP body or a fault); undefined for an action it does not know. */
export function answerPtz(
  s: FakePtzState,
  action: string,
  req: XmlElement,
): string | { status: number; body: string } | undefined {
  switch (action) {
    case 'GetNodes':
      return soap.ptzNodes(16);
    case 'GetConfigurations':
      return soap.ptzConfigurations();
    case 'ContinuousMove': {
      const v = child(req, 'Velocity');
      const pt = child(v, 'PanTilt');
      s.velocity = {
        pan: num(pt?.attrs.x),
        tilt: num(pt?.attrs.y),
        zoom: num(child(v, 'Zoom')?.attrs.x),
      };
      return soap.emptyResponse('tptz', action);
    }
    case 'Stop':
      delete s.velocity;
      return soap.emptyResponse('tptz', action);
    case 'GetPresets':
      return soap.ptzPresets(s.presets);
    case 'GotoPreset': {
      const p = s.presets.find((q) => q.token === child(req, 'PresetToken')?.text);
      if (!p)
        return { status: 400, body: soap.fault('Sender', 'ter:InvalidArgVal', 'No such preset') };
      Object.assign(s, { pan: p.pan, tilt: p.tilt, zoom: p.zoom });
      return soap.emptyResponse('tptz', action);
    }
    case 'GotoHomePosition':
      Object.assign(s, { pan: 0, tilt: 0, zoom: 0 });
      return soap.emptyResponse('tptz', action);
    case 'SetPreset': {
      const n = s.nextPreset++;
      const name = child(req, 'PresetName')?.text || `Preset ${n}`;
      const token = child(req, 'PresetToken')?.text || `preset_new_${n}`;
      s.presets = s.presets.filter((p) => p.token !== token);
      s.presets.push({ token, name, pan: s.pan, tilt: s.tilt, zoom: s.zoom });
      return soap.ptzSetPreset(token);
    }
  }
  return undefined;
}
