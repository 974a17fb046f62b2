// The centre of a tile when it is not simply playing: what is wrong in words, with the button that fixes
// it (settings; for a codec the browser cannot decode, the engine's transcode or live HLS).
import type { StatusWords } from '../../stores';
import { IconCamera, IconWarning } from '../../components';
import type { LiveVia } from '../live';

/**
 * The browser has no decoder for the stream: say so, and offer what the engine can do about it (its
 * H.264 transcode over WebRTC, or live HLS); in playback, the sub stream or another browser.
 */
export function UnsupportedCenter(props: {
  words: StatusWords;
  detail: string | undefined;
  live: boolean;
  via: LiveVia;
  onVia(via: LiveVia): void;
}) {
  const { words, detail, live, via } = props;
  const stop = (e: { stopPropagation(): void }) => e.stopPropagation();
  return (
    <div className="tile-center bad" data-testid="tile-unsupported" onDoubleClick={stop}>
      <IconWarning size={22} />
      <div className="big">{words.hint}</div>
      <div className="sub">
        {live
          ? via === 'transcode'
            ? `The engine's H.264 transcode is not available: ${detail ?? 'no answer'}.`
            : 'The engine can convert it to H.264 for this browser, or send it as live HLS.'
          : "Recordings keep the camera's codec: play them in a browser that decodes it, or export the clip."}
      </div>
      {live && (
        <div className="tile-actions">
          {via !== 'transcode' && (
            <button
              className="btn small"
              onClick={(e) => {
                stop(e);
                props.onVia('transcode');
              }}
            >
              Play through H.264 transcode
            </button>
          )}
          {via !== 'hls' && (
            <button
              className="btn small ghost"
              onClick={(e) => {
                stop(e);
                props.onVia('hls');
              }}
            >
              Try live HLS
            </button>
          )}
        </div>
      )}
    </div>
  );
}

export function TileCenter({ words, onFix }: { words: StatusWords; onFix?: () => void }) {
  if (words.tone === 'busy' || words.tone === 'warn') {
    return (
      <div className="tile-center">
        <div className="spinner" />
        <div className="big">{capitalize(words.label)}…</div>
        {words.hint && <div className="sub">{words.hint}</div>}
      </div>
    );
  }
  if (words.tone === 'bad') {
    return (
      <div className="tile-center bad">
        <IconWarning size={22} />
        <div className="big">{capitalize(words.label)}</div>
        {words.hint && <div className="sub">{words.hint}</div>}
        {words.fixInSettings && onFix && (
          <button
            className="btn small"
            onClick={(e) => {
              e.stopPropagation();
              onFix();
            }}
          >
            Open settings
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="tile-center">
      <IconCamera size={22} className="glyph" />
      <div className="big">{capitalize(words.label)}</div>
      {words.hint && <div className="sub">{words.hint}</div>}
    </div>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
