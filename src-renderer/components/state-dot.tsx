// A camera state dot (filled = fine, ring = trying or offline), coloured by tone; labelled for screen readers.
// Presentational only.
import type { StatusTone } from '../stores';

export function StateDot({ tone, label }: { tone: StatusTone; label: string }) {
  return (
    <span className="state-dot" data-tone={tone} role="img" aria-label={label} title={label} />
  );
}
