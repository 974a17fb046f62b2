// Test harnesses of playback: clock clips (frame numbers drawn into the picture) and fast, exact
// recordings through the real recorder on a fake clock. Imported by tests and benchmarks only.
export {
  FFMPEG,
  FFPROBE,
  CLOCK_WIDTH,
  CLOCK_HEIGHT,
  CLOCK_BITS,
  clockFilter,
  makeClockClip,
  liveClockArgs,
  frameNumberOf,
  readFrameNumbers,
  probe,
  decodeErrors,
} from './clock-clip';
export { recordClip, frameAt } from './record-clip';
export type { RecordedFrame, RunSpec, RecordClipInput } from './record-clip';
