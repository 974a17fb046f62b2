// testCameraStream (camera settings): turns a stored camera plus the settings form's unsaved edits into
// the stream test a Save of those edits would run, with the camera's stored password when none is typed.
// Pure: reads the stored camera, changes nothing, never hands the password back to the caller.
import { NvrError } from '../base';
import type { CameraPatch, MethodParsedInput } from '../../src-preload/contract';
import { applyCameraPatch, patchWithUrlCredentials, splitUrlCredentials } from './camera-store';
import type { StoredCamera } from './camera-store';

/**
 * The testStream input for `request` on `stored`: the edits go through the same patch rules as a Save
 * (absent keeps, `username: null` clears, credentials typed into the URL are used and stripped), except
 * that an empty password keeps the stored one, as the settings form's empty field means.
 */
export function cameraStreamTestInput(
  stored: StoredCamera,
  request: MethodParsedInput<'testCameraStream'>,
): MethodParsedInput<'testStream'> {
  const patch: CameraPatch = {};
  if (request.url !== undefined) patch.streams = { [request.stream]: { url: request.url } };
  if (request.username !== undefined) patch.username = request.username;
  if (request.password) patch.password = request.password;
  if (request.transport !== undefined) patch.transport = request.transport;
  const config = splitUrlCredentials(
    applyCameraPatch(stored.config, patchWithUrlCredentials(patch)),
  );
  const stream = config.streams[request.stream];
  if (!stream)
    throw new NvrError('not_found', `camera ${stored.id} has no ${request.stream} stream`, {
      field: 'stream',
      camera: stored.id,
    });
  return {
    url: stream.url,
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined && config.password !== ''
      ? { password: config.password }
      : {}),
    transport: config.transport,
    ...(request.width !== undefined ? { width: request.width } : {}),
  };
}
