import { describe, expect, it } from 'vitest';
import { validateInput } from './validation';
import { MAX_TIMELINE_BUCKETS, THUMBNAIL_WIDTHS_PX } from './limits';

const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 1);

function fails(method: Parameters<typeof validateInput>[0], raw: unknown) {
  const r = validateInput(method, raw);
  expect(r.ok).toBe(false);
  return r.ok ? undefined : r.error;
}

describe('window and count caps at the schema', () => {
  it('refuses the end-of-time timeline window of issue 22 with an error naming the field', () => {
    const e = fails('getTimeline', {
      cameraIds: ['door'],
      from: 0,
      to: 8_640_000_000_000_000,
      bucket: 'hour',
    });
    expect(e).toMatchObject({ kind: 'bad_request', field: 'to' });
    expect(e!.message).toMatch(/^to: must be a time in ms since the epoch before the year 2200/);
  });

  it('accepts any window of valid times without buckets; a 100-year window of hours names `bucket`', () => {
    expect(validateInput('listRecordings', { id: 'door', from: 0, to: T }).ok).toBe(true);
    expect(validateInput('getTimeline', { cameraIds: ['door'], from: 0, to: T }).ok).toBe(true);
    const e = fails('getTimeline', {
      cameraIds: ['door'],
      from: 0,
      to: 100 * 365 * DAY,
      bucket: 'hour',
    });
    expect(e).toMatchObject({ field: 'bucket' });
  });

  it('caps timeline buckets, naming `bucket`, and accepts a year of hours', () => {
    expect(validateInput('getTimeline', { from: T, to: T + 365 * DAY, bucket: 'hour' }).ok).toBe(
      true,
    );
    const e = fails('getTimeline', { from: T, to: T + 2 * 365 * DAY, bucket: 'hour' });
    expect(e).toMatchObject({ field: 'bucket' });
    expect(e!.message).toContain(`at most ${MAX_TIMELINE_BUCKETS} hour buckets`);
    expect(
      validateInput('getTimeline', { from: T, to: T + 10 * 365 * DAY, bucket: 'day' }).ok,
    ).toBe(true);
  });

  it('caps VOD playlists and clip downloads at a day, exports at a week', () => {
    const win = { id: 'door', from: T, to: T + 2 * DAY };
    expect(fails('getVodPlaylistUrl', win)).toMatchObject({ field: 'to' });
    expect(fails('getClipDownloadUrl', win)).toMatchObject({ field: 'to' });
    expect(validateInput('getVodPlaylistUrl', { ...win, to: T + DAY }).ok).toBe(true);
    expect(fails('startExport', { cameraIds: ['door'], from: T, to: T + 8 * DAY })).toMatchObject({
      field: 'to',
    });
  });

  it('refuses the same camera twice in one export', () => {
    const e = fails('startExport', {
      cameraIds: ['door', 'yard', 'door'],
      from: T,
      to: T + 60_000,
    });
    expect(e).toMatchObject({ field: 'cameraIds.2' });
    expect(e!.message).toContain('names door twice');
  });

  it('still says `to: must be after from` for an empty window', () => {
    expect(fails('listRecordings', { id: 'door', from: T, to: T })).toMatchObject({
      field: 'to',
      message: 'to: must be after from',
    });
  });

  it('snaps thumbnail widths to a few cached sizes', () => {
    const width = (w: number) => {
      const r = validateInput('getThumbnailUrl', { id: 'door', time: T, width: w });
      return r.ok ? r.value.width : undefined;
    };
    expect([16, 160, 161, 320, 500, 1000, 7680].map(width)).toEqual([
      160, 160, 320, 320, 640, 1280, 1280,
    ]);
    const all = new Set(Array.from({ length: 7680 - 15 }, (_, i) => width(i + 16)));
    expect([...all].sort((a, b) => a! - b!)).toEqual([...THUMBNAIL_WIDTHS_PX]);
  });
});
