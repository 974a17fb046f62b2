// The top bar clock: the playhead's local wall-clock time with tenths of a second (now when live),
// with ◀ ▶ to step 10 s. Re-renders at 10 Hz through the time store's tick.
import { IconChevronLeft, IconChevronRight, formatDate, formatTimeTenths } from '../components';
import { playheadAt, timeStore, useTime } from '../stores';

export function PlayheadClock() {
  const mode = useTime((s) => s.mode);
  const playheadMs = useTime((s) => s.playheadMs);
  const ms = playheadAt({ mode, playheadMs }, playheadMs);
  return (
    <div className="clock" data-mode={mode}>
      <button
        className="btn small icon ghost"
        aria-label="Back 10 seconds"
        title="Back 10 s (←)"
        onClick={() => timeStore.getState().step(-10_000)}
      >
        <IconChevronLeft size={14} />
      </button>
      <time dateTime={new Date(ms).toISOString()} data-testid="clock">
        <span className="date">{formatDate(ms)} </span>
        {formatTimeTenths(ms)}
      </time>
      <button
        className="btn small icon ghost"
        aria-label="Forward 10 seconds"
        title="Forward 10 s (→)"
        onClick={() => timeStore.getState().step(10_000)}
      >
        <IconChevronRight size={14} />
      </button>
    </div>
  );
}
