import { describe, expect, it, vi } from 'vitest';
import { createLayoutStore, createTimeStore } from '../stores';
import { handleHotkey } from './use-hotkeys';

const none = { shift: false, ctrlOrMeta: false, alt: false };

function setup() {
  let t = 1_790_000_000_000;
  const stores = { layout: createLayoutStore(), time: createTimeStore({ now: () => t }) };
  const focusSearch = vi.fn();
  return {
    stores,
    focusSearch,
    press: (key: string, mods = none) => handleHotkey(key, mods, { focusSearch }, stores),
    now: () => t,
    advance: (ms: number) => (t += ms),
  };
}

describe('hotkeys', () => {
  it('1–8 pick layouts in order (5×5, 1+5, 1+7, custom)', () => {
    const { stores, press } = setup();
    expect(press('1')).toBe(true);
    expect(stores.layout.getState().layoutId).toBe('1x1');
    press('5');
    expect(stores.layout.getState().layoutId).toBe('5x5');
    press('6');
    expect(stores.layout.getState().layoutId).toBe('1+5');
    press('7');
    expect(stores.layout.getState().layoutId).toBe('1+7');
    press('8');
    expect(stores.layout.getState().layoutId).toBe('custom');
    expect(press('9')).toBe(false);
  });

  it('F toggles fullscreen and W enters wall mode when the shell offers them', () => {
    const { stores } = setup();
    const toggleFullscreen = vi.fn();
    const enterWall = vi.fn();
    const targets = { focusSearch: () => {}, toggleFullscreen, enterWall };
    expect(handleHotkey('f', none, targets, stores)).toBe(true);
    expect(handleHotkey('W', none, targets, stores)).toBe(true);
    expect(toggleFullscreen).toHaveBeenCalledOnce();
    expect(enterWall).toHaveBeenCalledOnce();
    expect(handleHotkey('f', none, { focusSearch: () => {} }, stores)).toBe(false);
  });

  it('/ focuses the search, L returns live, arrows step', () => {
    const { stores, press, focusSearch, now } = setup();
    press('/');
    expect(focusSearch).toHaveBeenCalledOnce();
    press('ArrowLeft', { ...none, shift: true });
    expect(stores.time.getState()).toMatchObject({ mode: 'playback', playheadMs: now() - 60_000 });
    press('ArrowRight');
    expect(stores.time.getState().playheadMs).toBe(now() - 50_000);
    press('l');
    expect(stores.time.getState().mode).toBe('live');
  });

  it('Esc restores a maximized tile; modified keys are left to the browser', () => {
    const { stores, press } = setup();
    expect(press('Escape')).toBe(false);
    stores.layout.getState().toggleMaximize(0);
    expect(press('Escape')).toBe(true);
    expect(stores.layout.getState().maximizedTile).toBeNull();
    expect(press('1', { ...none, ctrlOrMeta: true })).toBe(false);
    expect(stores.layout.getState().layoutId).toBe('2x2');
  });
});

describe('playback hotkeys', () => {
  it('space pauses (live freezes into paused playback) and resumes; E opens export', () => {
    const { stores, now } = setup();
    const openExport = vi.fn();
    const press = (key: string) =>
      handleHotkey(key, none, { focusSearch: () => {}, openExport }, stores);
    expect(press(' ')).toBe(true);
    expect(stores.time.getState().mode).toBe('playback');
    expect(stores.time.getState().playing).toBe(false);
    expect(stores.time.getState().playheadMs).toBeLessThan(now());
    press(' ');
    expect(stores.time.getState().playing).toBe(true);
    expect(press('e')).toBe(true);
    expect(openExport).toHaveBeenCalledOnce();
    expect(handleHotkey('e', none, { focusSearch: () => {} }, stores)).toBe(false);
  });
});

describe('recording hotkeys', () => {
  it(', and . jump to the previous / next recording when the timeline offers it', () => {
    const { stores } = setup();
    const jumpRecording = vi.fn();
    const targets = { focusSearch: () => {}, jumpRecording };
    expect(handleHotkey(',', none, targets, stores)).toBe(true);
    expect(handleHotkey('.', none, targets, stores)).toBe(true);
    expect(jumpRecording.mock.calls).toEqual([['prev'], ['next']]);
    expect(handleHotkey('.', none, { focusSearch: () => {} }, stores)).toBe(false);
    expect(handleHotkey('.', { ...none, ctrlOrMeta: true }, targets, stores)).toBe(false);
  });
});
