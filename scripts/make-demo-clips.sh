#!/usr/bin/env bash
# Makes the demo clips in resources/demo/ from ffmpeg's lavfi sources (no downloads).
# Each scene: ~10 s, 15 fps, 1 s GOP, no B-frames, burned-in clock + scene name, raw Annex B
# elementary streams with VUI timing. A 1920x1080 "main" and a 640x360 "sub" per scene;
# the street main stream is H.265, everything else H.264. Usage: bash scripts/make-demo-clips.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/resources/demo"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
FPS=15
SECONDS_LONG=10
FFMPEG="${FFMPEG:-ffmpeg}"
mkdir -p "$OUT"

# scene name | lavfi source graph producing 1920x1080 at $FPS for $SECONDS_LONG s | main codec
SCENES=(
  "door|testsrc2=s=1920x1080:r=$FPS:d=$SECONDS_LONG|h264"
  "yard|smptebars=s=1920x1080:r=$FPS:d=$SECONDS_LONG,drawbox=x='mod(t*240,1920-240)':y=700:w=240:h=240:color=yellow@0.9:t=fill|h264"
  "garage|mandelbrot=s=640x360:r=$FPS:end_pts=$SECONDS_LONG,trim=duration=$SECONDS_LONG,scale=1920:1080|h264"
  "street|gradients=s=1920x1080:r=$FPS:d=$SECONDS_LONG:speed=0.05:seed=7|h265"
)

X264_COMMON=(-c:v libx264 -preset veryfast -tune zerolatency -bf 0 -g $FPS -keyint_min $FPS -sc_threshold 0 -pix_fmt yuv420p)

for entry in "${SCENES[@]}"; do
  IFS='|' read -r name src codec <<<"$entry"
  # Clock (clip time h:m:s.ms) and the scene name, big enough to read on the sub stream.
  text="drawtext=fontfile=$FONT:text='$name  %{pts\:hms}':x=40:y=40:fontsize=96:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=12"
  graph="[0:v]$text,split=2[m][s0];[s0]scale=640:360[s]"
  if [[ "$codec" == h265 ]]; then
    main_args=(-c:v libx265 -preset veryfast -tune zerolatency -pix_fmt yuv420p -b:v 200k
      -x265-params "keyint=$FPS:min-keyint=$FPS:bframes=0:repeat-headers=1:scenecut=0:vbv-maxrate=300:vbv-bufsize=300:log-level=error"
      -f hevc "$OUT/$name-main.h265")
  else
    main_args=("${X264_COMMON[@]}" -profile:v main -b:v 200k -maxrate 300k -bufsize 300k -f h264 "$OUT/$name-main.h264")
  fi
  echo "making $name ($codec main + h264 sub)"
  "$FFMPEG" -hide_banner -loglevel error -y -f lavfi -i "$src" -filter_complex "$graph" \
    -map '[m]' "${main_args[@]}" \
    -map '[s]' "${X264_COMMON[@]}" -profile:v baseline -b:v 80k -maxrate 120k -bufsize 120k -f h264 "$OUT/$name-sub.h264"
done

du -ch "$OUT"/*.h26? | tail -1
