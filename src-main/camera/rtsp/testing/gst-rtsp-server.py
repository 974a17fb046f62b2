#!/usr/bin/python3
# Test harness: a GStreamer RTSP server (gst-rtsp-server through python3-gi) streaming a
# videotestsrc pattern as H.264 or H.265. Started by gst-server.ts; never used by the product.
# Prints "PORT <n>" once listening; exits when stdin closes so a dead parent never leaks it.
# With --config FILE (JSON, see gst-file-server.ts) it instead runs several servers in one process,
# each with its own auth and many mounts that payload prepared MP4 files (no live encoding), and
# prints "PORT <server name> <n>" per server, then "READY".
import argparse
import json
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
    p.add_argument('--config', help='JSON file: servers with mounts that payload MP4 files')
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


def file_launch_line(m):
    """A mount that payloads an MP4 file as it is (paced by the pipeline clock, one pass)."""
    codec = m['codec']
    pay = (
        f'rtp{codec}pay name=pay0 pt=96 config-interval={m.get("configInterval", -1)} '
        f'aggregate-mode={m.get("aggregateMode", "none")} mtu={m.get("mtu", 1400)}'
    )
    return f'( filesrc location="{m["file"]}" ! qtdemux ! {codec}parse ! {pay} )'


def lower_transports(names):
    protocols = GstRtsp.RTSPLowerTrans(0)
    for name in names:
        if name == 'tcp':
            protocols |= GstRtsp.RTSPLowerTrans.TCP
        elif name == 'udp':
            protocols |= GstRtsp.RTSPLowerTrans.UDP
    return protocols


def make_server(port, auth_mode, user, password):
    """An RTSP server on 127.0.0.1; with auth, returns the permissions every factory needs."""
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(str(port))
    permissions = None
    if auth_mode != 'none':
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string('media.factory.role', 'user')
        if auth_mode == 'basic':
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        else:
            auth.add_digest(user, password, token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role('user', 'media.factory.access', True)
        permissions.add_permission_for_role('user', 'media.factory.construct', True)
    return server, permissions


def attach(server, label):
    if server.attach(None) == 0:
        print('ERROR attach failed', flush=True)
        sys.exit(1)
    print(f'PORT {label}{server.get_bound_port()}', flush=True)


def serve_config(path):
    with open(path, encoding='utf8') as f:
        config = json.load(f)
    servers = []  # kept referenced for the life of the process
    for s in config['servers']:
        server, permissions = make_server(0, s.get('auth', 'none'), s.get('user', ''), s.get('password', ''))
        for m in s['mounts']:
            factory = GstRtspServer.RTSPMediaFactory()
            factory.set_launch(file_launch_line(m))
            factory.set_shared(bool(m.get('shared', False)))
            factory.set_protocols(lower_transports(m.get('protocols', ['tcp', 'udp'])))
            if permissions is not None:
                factory.set_permissions(permissions)
            server.get_mount_points().add_factory(m['path'], factory)
        attach(server, f'{s["name"]} ')
        servers.append(server)
    print('READY', flush=True)
    return servers


def serve_args(a):
    server, permissions = make_server(a.port, a.auth, a.user, a.password)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch_line(a))
    factory.set_shared(a.shared)
    factory.set_protocols(lower_transports(a.protocols.split(',')))
    if permissions is not None:
        factory.set_permissions(permissions)
    server.get_mount_points().add_factory(a.path, factory)
    attach(server, '')
    return [server]


def main():
    a = parse_args()
    Gst.init(None)
    loop = GLib.MainLoop()
    servers = serve_config(a.config) if a.config else serve_args(a)

    def on_stdin(_source, condition):
        if condition & (GLib.IO_HUP | GLib.IO_ERR) or not sys.stdin.buffer.read1(4096):
            loop.quit()
            return False
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, on_stdin)
    loop.run()


if __name__ == '__main__':
    main()
