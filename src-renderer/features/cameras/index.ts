// Cameras: the add-camera wizard, the settings panel and their pure form logic. Public API of features/cameras.
export { AddCameraDialog } from './add-camera-dialog';
export { CameraSettingsDialog } from './camera-settings-dialog';
export type { CameraSettingsDialogProps } from './camera-settings-dialog';
export {
  deviceLabel,
  mergeDevice,
  rtspFormToInput,
  settingsFormOf,
  settingsPatch,
} from './camera-forms';
export type { FormResult, RtspForm, SettingsForm } from './camera-forms';
