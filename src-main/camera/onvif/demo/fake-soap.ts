// SOAP answers of the fake ONVIF device, written for this project from the ONVIF Core, Media, Media2
// and PTZ specifications and WS-Discovery 2005/04 (own fixtures, nothing copied). Strings only; no I/O.
import { escapeXml as x } from '../xml';

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
} as const;

export interface FakeProfile {
  token: string;
  name: string;
  width: number;
  height: number;
  fps: number;
  bitrateKbps: number;
  codec: 'H264' | 'H265';
  /** Appended to the device's RTSP base URL: `main` gives rtsp://127.0.0.1:PORT/<cam>/main. */
  streamPath: string;
  /** Overrides the stream URI; null: GetStreamUri answers a fault (a profile without a stream). */
  streamUri?: string | null;
}

export interface FakePreset {
  token: string;
  name: string;
  pan: number;
  tilt: number;
  zoom: number;
}

export function envelope(body: string): string {
  const ns = Object.entries(NS)
    .filter(([k]) => k !== 'soap')
    .map(([k, v]) => `xmlns:${k}="${v}"`)
    .join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.soap}" ${ns}><s:Body>${body}</s:Body></s:Envelope>`;
}

/** A SOAP 1.2 fault: `code` Sender or Receiver, `subcode` an ONVIF error (ter:NotAuthorized…). */
export function fault(code: 'Sender' | 'Receiver', subcode: string, reason: string): string {
  return envelope(
    `<s:Fault><s:Code><s:Value>s:${code}</s:Value><s:Subcode><s:Value>${x(subcode)}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en">${x(reason)}</s:Text></s:Reason></s:Fault>`,
  );
}

export interface DeviceIdentity {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
}

export function deviceInformation(d: DeviceIdentity): string {
  return envelope(
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${x(d.manufacturer)}</tds:Manufacturer>` +
      `<tds:Model>${x(d.model)}</tds:Model><tds:FirmwareVersion>${x(d.firmwareVersion)}</tds:FirmwareVersion>` +
      `<tds:SerialNumber>${x(d.serialNumber)}</tds:SerialNumber><tds:HardwareId>${x(d.hardwareId)}</tds:HardwareId>` +
      `</tds:GetDeviceInformationResponse>`,
  );
}

export function systemDateAndTime(nowMs: number): string {
  const d = new Date(nowMs);
  return envelope(
    `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType>` +
      `<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime>` +
      `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
      `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>` +
      `</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,
  );
}

export interface ServiceAddrs {
  device: string;
  media?: string;
  media2?: string;
  ptz?: string;
}

export function capabilities(a: ServiceAddrs): string {
  return envelope(
    `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
      `<tt:Device><tt:XAddr>${x(a.device)}</tt:XAddr></tt:Device>` +
      (a.media
        ? `<tt:Media><tt:XAddr>${x(a.media)}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>` +
          `<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>`
        : '') +
      (a.ptz ? `<tt:PTZ><tt:XAddr>${x(a.ptz)}</tt:XAddr></tt:PTZ>` : '') +
      `</tds:Capabilities></tds:GetCapabilitiesResponse>`,
  );
}

export function services(a: ServiceAddrs): string {
  const svc = (ns: string, addr: string, major: number, minor: number) =>
    `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${x(addr)}</tds:XAddr>` +
    `<tds:Version><tt:Major>${major}</tt:Major><tt:Minor>${minor}</tt:Minor></tds:Version></tds:Service>`;
  return envelope(
    `<tds:GetServicesResponse>` +
      svc(NS.tds, a.device, 2, 60) +
      (a.media ? svc(NS.trt, a.media, 2, 60) : '') +
      (a.media2 ? svc(NS.tr2, a.media2, 2, 60) : '') +
      (a.ptz ? svc(NS.tptz, a.ptz, 2, 60) : '') +
      `</tds:GetServicesResponse>`,
  );
}

export function scopesResponse(scopes: readonly string[]): string {
  return envelope(
    `<tds:GetScopesResponse>` +
      scopes
        .map(
          (s) =>
            `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${x(s)}</tt:ScopeItem></tds:Scopes>`,
        )
        .join('') +
      `</tds:GetScopesResponse>`,
  );
}

const PTZ_CONFIG_TOKEN = 'ptz_config';
export const PTZ_NODE_TOKEN = 'ptz_node';

function encoderBody(p: FakeProfile): string {
  return (
    `<tt:Name>${x(p.name)} encoder</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${p.codec}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution>`
  );
}

const sourceBody = `<tt:Name>Video source</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>video_source</tt:SourceToken><tt:Bounds x="0" y="0" width="1920" height="1080"/>`;
const ptzBody = `<tt:Name>PTZ</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>${PTZ_NODE_TOKEN}</tt:NodeToken>`;

/** Media1 profiles (H.264 only: Media1 has no H.265 encoding). */
export function media1Profiles(profiles: readonly FakeProfile[], ptz: boolean): string {
  return envelope(
    `<trt:GetProfilesResponse>` +
      profiles
        .filter((p) => p.codec === 'H264')
        .map(
          (p) =>
            `<trt:Profiles token="${x(p.token)}" fixed="true"><tt:Name>${x(p.name)}</tt:Name>` +
            `<tt:VideoSourceConfiguration token="video_source_config">${sourceBody}</tt:VideoSourceConfiguration>` +
            `<tt:VideoEncoderConfiguration token="encoder_${x(p.token)}">${encoderBody(p)}<tt:Quality>5</tt:Quality>` +
            `<tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>` +
            `<tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
            `<tt:H264><tt:GovLength>${p.fps * 2}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` +
            `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>` +
            (ptz
              ? `<tt:PTZConfiguration token="${PTZ_CONFIG_TOKEN}">${ptzBody}</tt:PTZConfiguration>`
              : '') +
            `</trt:Profiles>`,
        )
        .join('') +
      `</trt:GetProfilesResponse>`,
  );
}

export function media2Profiles(profiles: readonly FakeProfile[], ptz: boolean): string {
  return envelope(
    `<tr2:GetProfilesResponse>` +
      profiles
        .map(
          (p) =>
            `<tr2:Profiles token="${x(p.token)}" fixed="true"><tr2:Name>${x(p.name)}</tr2:Name><tr2:Configurations>` +
            `<tr2:VideoSource token="video_source_config">${sourceBody}</tr2:VideoSource>` +
            `<tr2:VideoEncoder token="encoder_${x(p.token)}" GovLength="${p.fps * 2}" Profile="Main">${encoderBody(p)}` +
            `<tt:RateControl ConstantBitRate="false"><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit>` +
            `<tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl><tt:Quality>5</tt:Quality></tr2:VideoEncoder>` +
            (ptz ? `<tr2:PTZ token="${PTZ_CONFIG_TOKEN}">${ptzBody}</tr2:PTZ>` : '') +
            `</tr2:Configurations></tr2:Profiles>`,
        )
        .join('') +
      `</tr2:GetProfilesResponse>`,
  );
}

export function media1Uri(action: 'GetStreamUri' | 'GetSnapshotUri', uri: string): string {
  return envelope(
    `<trt:${action}Response><trt:MediaUri><tt:Uri>${x(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
      `<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:${action}Response>`,
  );
}

export function media2Uri(action: 'GetStreamUri' | 'GetSnapshotUri', uri: string): string {
  return envelope(`<tr2:${action}Response><tr2:Uri>${x(uri)}</tr2:Uri></tr2:${action}Response>`);
}

const range = (min: number, max: number) => `<tt:Min>${min}</tt:Min><tt:Max>${max}</tt:Max>`;

export function ptzNodes(maxPresets: number): string {
  return envelope(
    `<tptz:GetNodesResponse><tptz:PTZNode token="${PTZ_NODE_TOKEN}" FixedHomePosition="false"><tt:Name>PTZ</tt:Name>` +
      `<tt:SupportedPTZSpaces><tt:ContinuousPanTiltVelocitySpace><tt:URI>http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace</tt:URI>` +
      `<tt:XRange>${range(-1, 1)}</tt:XRange><tt:YRange>${range(-1, 1)}</tt:YRange></tt:ContinuousPanTiltVelocitySpace>` +
      `<tt:ContinuousZoomVelocitySpace><tt:URI>http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace</tt:URI>` +
      `<tt:XRange>${range(-1, 1)}</tt:XRange></tt:ContinuousZoomVelocitySpace></tt:SupportedPTZSpaces>` +
      `<tt:MaximumNumberOfPresets>${maxPresets}</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported>` +
      `</tptz:PTZNode></tptz:GetNodesResponse>`,
  );
}

export function ptzConfigurations(): string {
  return envelope(
    `<tptz:GetConfigurationsResponse><tptz:PTZConfiguration token="${PTZ_CONFIG_TOKEN}">${ptzBody}` +
      `<tt:DefaultContinuousPanTiltVelocitySpace>http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace</tt:DefaultContinuousPanTiltVelocitySpace>` +
      `<tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout></tptz:PTZConfiguration></tptz:GetConfigurationsResponse>`,
  );
}

export function ptzPresets(presets: readonly FakePreset[]): string {
  return envelope(
    `<tptz:GetPresetsResponse>` +
      presets
        .map(
          (p) =>
            `<tptz:Preset token="${x(p.token)}"><tt:Name>${x(p.name)}</tt:Name><tt:PTZPosition>` +
            `<tt:PanTilt x="${p.pan}" y="${p.tilt}"/><tt:Zoom x="${p.zoom}"/></tt:PTZPosition></tptz:Preset>`,
        )
        .join('') +
      `</tptz:GetPresetsResponse>`,
  );
}

export function ptzSetPreset(token: string): string {
  return envelope(
    `<tptz:SetPresetResponse><tptz:PresetToken>${x(token)}</tptz:PresetToken></tptz:SetPresetResponse>`,
  );
}

/** An empty `<ActionResponse/>` in the service's namespace. */
export function emptyResponse(prefix: 'tds' | 'trt' | 'tr2' | 'tptz', action: string): string {
  return envelope(`<${prefix}:${action}Response/>`);
}

export interface ProbeMatchInput {
  relatesTo: string;
  messageId: string;
  endpoint: string;
  scopes: readonly string[];
  xaddrs: readonly string[];
}

export function probeMatches(m: ProbeMatchInput): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa}" xmlns:d="${NS.wsd}" ` +
    `xmlns:dn="${NS.dn}" xmlns:tds="${NS.tds}"><s:Header><a:MessageID>${x(m.messageId)}</a:MessageID>` +
    `<a:RelatesTo>${x(m.relatesTo)}</a:RelatesTo><a:To>${NS.wsa}/role/anonymous</a:To>` +
    `<a:Action>${NS.wsd}/ProbeMatches</a:Action><d:AppSequence InstanceId="1" MessageNumber="1"/></s:Header>` +
    `<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${x(m.endpoint)}</a:Address></a:EndpointReference>` +
    `<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>${m.scopes.map(x).join(' ')}</d:Scopes>` +
    `<d:XAddrs>${m.xaddrs.map(x).join(' ')}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches>` +
    `</s:Body></s:Envelope>`
  );
}
