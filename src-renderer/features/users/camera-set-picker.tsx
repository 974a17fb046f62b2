// Picks a viewer's camera set: "All cameras" or a list of checkboxes from the camera store. Presentational.
import { useCameras } from '../../stores';

export interface CameraSetPickerProps {
  value: string[] | null;
  onChange(value: string[] | null): void;
}

export function CameraSetPicker({ value, onChange }: CameraSetPickerProps) {
  const cameras = useCameras((s) => s.cameras);
  const toggle = (id: string, on: boolean) => {
    const current = value ?? [];
    onChange(on ? [...current, id] : current.filter((c) => c !== id));
  };
  return (
    <fieldset className="camera-set" data-testid="camera-set">
      <legend>Cameras</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={value === null}
          onChange={(e) => onChange(e.target.checked ? null : [])}
        />
        All cameras (also those added later)
      </label>
      {value !== null &&
        cameras.map((c) => (
          <label key={c.id} className="check">
            <input
              type="checkbox"
              checked={value.includes(c.id)}
              onChange={(e) => toggle(c.id, e.target.checked)}
            />
            {c.name}
          </label>
        ))}
    </fieldset>
  );
}
