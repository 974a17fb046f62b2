// Live view: the WHEP client and the live <video> of a tile. Public API of features/live.
export { WhepClient, backoffMs } from './whep-client';
export type { PeerConnectionLike, WhepClientOptions, WhepState } from './whep-client';
export { LiveVideo } from './live-video';
export type { LivePlayerState, LiveVideoProps } from './live-video';
