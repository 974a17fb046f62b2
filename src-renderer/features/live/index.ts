// Live view: the WHEP client and the live <video> of a tile. Public API of features/live.
export { WhepClient, backoffMs, isFinalLiveError, preparePeer } from './whep-client';
export type {
  PeerConnectionLike,
  PreparedPeer,
  WhepClientOptions,
  WhepHandlers,
  WhepState,
} from './whep-client';
export { LiveWarmStart, claimWarmLive } from './warm-start';
export type { LiveStreamRef, WarmStartOptions } from './warm-start';
export { HLS_CODEC_ERRORS, LiveVideo, canDecode } from './live-video';
export type { LivePlayerState, LiveVia, LiveVideoProps } from './live-video';
