// Browser fullscreen of the whole window (`F`, wall mode). Failures (no user gesture, not allowed in an
// iframe) are ignored: the app works the same without it.
export function isFullscreen(): boolean {
  return typeof document !== 'undefined' && document.fullscreenElement !== null;
}

export function enterFullscreen(): void {
  if (isFullscreen() || !document.documentElement.requestFullscreen) return;
  document.documentElement.requestFullscreen().catch(() => undefined);
}

export function exitFullscreen(): void {
  if (!isFullscreen()) return;
  document.exitFullscreen().catch(() => undefined);
}

export function toggleFullscreen(): void {
  if (isFullscreen()) exitFullscreen();
  else enterFullscreen();
}
