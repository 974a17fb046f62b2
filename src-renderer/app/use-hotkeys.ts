// Global keyboard shortcuts of the shell (UI.md): L live, 1–8 layouts, F fullscreen, W wall, / camera search, Esc restore,
// ←/→ step 10 s (shift: 1 min), PageUp/PageDown grid pages, `,`/`.` previous/next recording, space play/pause, E export. Ignores keys typed into inputs. Dispatch only: the stores do the work.
import { useEffect } from 'react';
import { LAYOUTS, layoutStore, timeStore } from '../stores';

export interface HotkeyTargets {
  focusSearch(): void;
  /** `E`: the export dialog (optional: tests may leave it out). */
  openExport?(): void;
  /** `,` / `.`: jump to the previous / next recording of the timeline's cameras. */
  jumpRecording?(dir: 'prev' | 'next'): void;
  /** `F`: fullscreen of the window, on and off. */
  toggleFullscreen?(): void;
  /** `W`: wall mode with the current grid. */
  enterWall?(): void;
}

/** Pure key → action mapping (tested without a DOM). Returns true when the key was handled. */
export function handleHotkey(
  key: string,
  mods: { shift: boolean; ctrlOrMeta: boolean; alt: boolean },
  targets: HotkeyTargets,
  stores = { layout: layoutStore, time: timeStore },
): boolean {
  if (mods.ctrlOrMeta || mods.alt) return false;
  if (key === 'l' || key === 'L') {
    stores.time.getState().goLive();
    return true;
  }
  if (key === ' ') {
    stores.time.getState().togglePlay();
    return true;
  }
  if ((key === 'e' || key === 'E') && targets.openExport) {
    targets.openExport();
    return true;
  }
  if ((key === ',' || key === '.') && targets.jumpRecording) {
    targets.jumpRecording(key === ',' ? 'prev' : 'next');
    return true;
  }
  if (key === '/') {
    targets.focusSearch();
    return true;
  }
  if ((key === 'f' || key === 'F') && targets.toggleFullscreen) {
    targets.toggleFullscreen();
    return true;
  }
  if ((key === 'w' || key === 'W') && targets.enterWall) {
    targets.enterWall();
    return true;
  }
  if (key === 'Escape') {
    if (stores.layout.getState().maximizedTile === null) return false;
    stores.layout.getState().restore();
    return true;
  }
  if (key === 'PageUp' || key === 'PageDown') {
    const l = stores.layout.getState();
    l.setPage(l.page + (key === 'PageUp' ? -1 : 1));
    return true;
  }
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const stepMs = (mods.shift ? 60_000 : 10_000) * (key === 'ArrowLeft' ? -1 : 1);
    stores.time.getState().step(stepMs);
    return true;
  }
  const n = /^[1-9]$/.test(key) ? Number(key) : NaN;
  const layout = LAYOUTS[n - 1];
  if (layout) {
    stores.layout.getState().setLayout(layout.id);
    return true;
  }
  return false;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useHotkeys(targets: HotkeyTargets) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) {
        if (e.key === 'Escape' && e.target instanceof HTMLElement) e.target.blur();
        return;
      }
      if (
        handleHotkey(
          e.key,
          { shift: e.shiftKey, ctrlOrMeta: e.ctrlKey || e.metaKey, alt: e.altKey },
          targets,
        )
      )
        e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [targets]);
}
