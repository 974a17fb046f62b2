#!/usr/bin/python3
# Test harness: a GStreamer RTSP server (gst-rtsp-server through python3-gi) streaming a
# videotestsrc pattern as H.264 or H.265. Started by gst-server.ts; never used by the product.
# Prints "PORT <n>" once listening; exits when stdin closes so a dead parent never leaks it.
import argparse
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtsp', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--path', default='/test')
    p.add_argument('--codec', choices=['h264', 'h265'], default='h264')
    p.add_argument('--width', type=int, default=320)
    p.add_argument('--height', type=int, default=240)
    p.add_argument('--fps', type=int, default=15)
    p.add_argument('--gop', type=int, default=15)
    p.add_argument('--bitrate-kbps', type=int, default=300)
    p.add_argument('--protocols', default='tcp,udp')
    p.add_argument('--auth', choices=['none', 'basic', 'digest'], default='none')
    p.add_argument('--user', default='admin')
    p.add_argument('--password', default='secret')
    # 'aggregate': STAP-A/AP with SPS/PPS (and VPS) before every IDR; 'sdp-only': parameter sets
    # only in the SDP (config-interval=0, no aggregation), a quirk of some cameras.
    p.add_argument('--packetization', choices=['aggregate', 'sdp-only'], default='aggregate')
    # Shared: one pipeline for all clients (a joining client may force an extra keyframe).
    p.add_argument('--shared', action='store_true')
    return p.parse_args()


def launch_line(a):
    src = (
        f'videotestsrc is-live=true pattern=ball ! '
        f'video/x-raw,width={a.width},height={a.height},framerate={a.fps}/1,format=I420'
    )
    if a.packetization == 'aggregate':
        pay_opts = 'config-interval=-1 aggregate-mode=zero-latency'
    else:
        pay_opts = 'config-interval=0 aggregate-mode=none'
    if a.codec == 'h264':
        enc = (
            f'x264enc tune=zerolatency speed-preset=ultrafast key-int-max={a.gop} '
            f'bitrate={a.bitrate_kbps} ! video/x-h264,profile=baseline ! '
            f'rtph264pay name=pay0 pt=96 {pay_opts}'
        )
    else:
        enc = (
            f'x265enc tune=zerolatency speed-preset=ultrafast key-int-max={a.gop} '
            f'bitrate={a.bitrate_kbps} option-string="repeat-headers=0" ! video/x-h265,profile=main ! '
            f'rtph265pay name=pay0 pt=96 {pay_opts}'
        )
    return f'( {src} ! {enc} )'


def main():
    a = parse_args()
    Gst.init(None)
    loop = GLib.MainLoop()
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(str(a.port))

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch_line(a))
    factory.set_shared(a.shared)
    protocols = GstRtsp.RTSPLowerTrans(0)
    for name in a.protocols.split(','):
        if name == 'tcp':
            protocols |= GstRtsp.RTSPLowerTrans.TCP
        elif name == 'udp':
            protocols |= GstRtsp.RTSPLowerTrans.UDP
    factory.set_protocols(protocols)

    if a.auth != 'none':
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string('media.factory.role', 'user')
        if a.auth == 'basic':
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, a.password), token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        else:
            auth.add_digest(a.user, a.password, token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role('user', 'media.factory.access', True)
        permissions.add_permission_for_role('user', 'media.factory.construct', True)
        factory.set_permissions(permissions)

    server.get_mount_points().add_factory(a.path, factory)
    if server.attach(None) == 0:
        print('ERROR attach failed', flush=True)
        sys.exit(1)
    print(f'PORT {server.get_bound_port()}', flush=True)

    def on_stdin(_source, condition):
        if condition & (GLib.IO_HUP | GLib.IO_ERR) or not sys.stdin.buffer.read1(4096):
            loop.quit()
            return False
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, on_stdin)
    loop.run()


if __name__ == '__main__':
    main()
