// native/: the platform binaries the app ships (ffmpeg) and the code that finds them.
export { findBinary, findFfmpeg, findFfprobe, defaultNativeDir } from './ffmpeg';
export type { FindBinaryOptions, FoundBinary } from './ffmpeg';
export { loadSrtpSender, SRTP_SENDER_MAX_BATCH } from './srtp-sender';
export type { SrtpSender, SrtpSenderSession } from './srtp-sender';
