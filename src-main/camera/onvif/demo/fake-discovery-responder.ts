// The fake device's WS-Discovery target service: answers Probe (multicast on the loopback interface,
// and unicast on its own port) with ProbeMatch. Tests and demo only; it answers loopback senders only.
import dgram from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { child, parseXml, path } from '../xml';

export type DiscoveryReplyMode = 'normal' | 'garbage' | 'silent';

export interface DiscoveryResponderOptions {
  /** Multicast group and port to join; port 0 picks one (pass it to the next device to share it). */
  multicastAddress: string;
  multicastPort: number;
  /** Interface to join the group on: 127.0.0.1 (loopback only). */
  interfaceAddress: string;
  /** Builds the ProbeMatches answer for a Probe's MessageID. */
  reply: (relatesTo: string, messageId: string) => string;
  mode: () => DiscoveryReplyMode;
  /** Loopback address the answers come from (a device on another address, 127.0.0.9); default: the
   * socket the Probe arrived on. */
  answerFrom?: string;
  /** Answer this long after the Probe (a slow device); default at once. */
  answerDelayMs?: number;
}

const isLoopback = (address: string) => address.startsWith('127.');

export class FakeDiscoveryResponder {
  readonly probes: { from: string; via: 'multicast' | 'unicast' }[] = [];
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();
  private constructor(
    private readonly multicast: dgram.Socket,
    private readonly unicast: dgram.Socket,
    private readonly opts: DiscoveryResponderOptions,
    private readonly answering: dgram.Socket | undefined,
  ) {}

  static async start(opts: DiscoveryResponderOptions): Promise<FakeDiscoveryResponder> {
    // Bound to the group address (not 0.0.0.0): only datagrams sent to the group arrive, and the
    // membership is on the loopback interface only.
    const multicast = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const unicast = dgram.createSocket('udp4');
    try {
      multicast.bind(opts.multicastPort, opts.multicastAddress);
      await once(multicast, 'listening');
      multicast.addMembership(opts.multicastAddress, opts.interfaceAddress);
      multicast.setMulticastInterface(opts.interfaceAddress);
      unicast.bind(0, opts.interfaceAddress);
      await once(unicast, 'listening');
    } catch (err) {
      multicast.close();
      unicast.close();
      throw err;
    }
    let answering: dgram.Socket | undefined;
    if (opts.answerFrom) {
      answering = dgram.createSocket('udp4');
      try {
        answering.bind(0, opts.answerFrom);
        await once(answering, 'listening');
      } catch (err) {
        for (const s of [multicast, unicast, answering]) s.close();
        throw err;
      }
    }
    const responder = new FakeDiscoveryResponder(multicast, unicast, opts, answering);
    multicast.on('message', (msg, rinfo) => responder.onProbe(multicast, msg, rinfo, 'multicast'));
    unicast.on('message', (msg, rinfo) => responder.onProbe(unicast, msg, rinfo, 'unicast'));
    return responder;
  }

  get multicastPort(): number {
    return this.multicast.address().port;
  }

  /** The port a unicast Probe reaches this device on (127.0.0.1). */
  get unicastPort(): number {
    return this.unicast.address().port;
  }

  private onProbe(
    socket: dgram.Socket,
    msg: Buffer,
    rinfo: dgram.RemoteInfo,
    via: 'multicast' | 'unicast',
  ): void {
    if (!isLoopback(rinfo.address)) return;
    const env = parseXml(msg.toString('utf8'));
    if (!path(env, 'Body', 'Probe')) return;
    const messageId = child(child(env, 'Header'), 'MessageID')?.text ?? '';
    this.probes.push({ from: `${rinfo.address}:${rinfo.port}`, via });
    const mode = this.opts.mode();
    if (mode === 'silent') return;
    const answer =
      mode === 'garbage'
        ? `<s:Envelope><s:Body><d:ProbeMatches><d:ProbeMatch>\u0000not xml`
        : this.opts.reply(messageId, `urn:uuid:${randomUUID()}`);
    const send = () => (this.answering ?? socket).send(answer, rinfo.port, rinfo.address);
    if (!this.opts.answerDelayMs) return send();
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      send();
    }, this.opts.answerDelayMs);
    this.pending.add(timer);
  }

  async close(): Promise<void> {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    const sockets = [this.multicast, this.unicast, ...(this.answering ? [this.answering] : [])];
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
