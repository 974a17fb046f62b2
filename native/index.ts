// native/: the platform binaries the app ships (ffmpeg) and the code that finds them.
export { findBinary, findFfmpeg, findFfprobe, defaultNativeDir } from './ffmpeg';
export type { FindBinaryOptions, FoundBinary } from './ffmpeg';
