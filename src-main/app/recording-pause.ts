// Pause/resume all recording from the tray, over the existing contract: pausing sets every camera's
// recording mode to `off` and remembers the previous modes (in the settings file, so a restart keeps
// them); resuming puts them back.
import type { NvrApi } from '../../src-preload/contract';

type Modes = Record<string, 'continuous' | 'off'>;

export interface PauseStore {
  get(): { pausedRecordingModes?: Modes };
  update(patch: { pausedRecordingModes?: Modes }): unknown;
}

export function isRecordingPaused(store: PauseStore): boolean {
  return store.get().pausedRecordingModes !== undefined;
}

export async function pauseAllRecording(
  api: Pick<NvrApi, 'listCameras' | 'updateCamera'>,
  store: PauseStore,
): Promise<void> {
  if (isRecordingPaused(store)) return;
  const cameras = await api.listCameras();
  const modes: Modes = {};
  for (const camera of cameras) modes[camera.id] = camera.recording.mode;
  store.update({ pausedRecordingModes: modes });
  for (const camera of cameras)
    if (camera.recording.mode !== 'off')
      await api.updateCamera({ id: camera.id, patch: { recording: { mode: 'off' } } });
}

export async function resumeAllRecording(
  api: Pick<NvrApi, 'listCameras' | 'updateCamera'>,
  store: PauseStore,
): Promise<void> {
  const modes = store.get().pausedRecordingModes;
  if (!modes) return;
  const cameras = await api.listCameras();
  for (const camera of cameras) {
    const mode = modes[camera.id];
    if (mode && mode !== camera.recording.mode)
      await api.updateCamera({ id: camera.id, patch: { recording: { mode } } });
  }
  store.update({ pausedRecordingModes: undefined });
}
