// A namespace-agnostic XML reader for SOAP messages (fast-xml-parser underneath) and XML escaping.
// Owns parsing of untrusted XML into a small tree; never throws on bad input (returns undefined).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An element: local name (prefix stripped), attributes by local name, text and child elements. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlElement[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, unknown> };

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined || name === '#text' || name === '#comment') return undefined;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(node[':@'] ?? {}))
    if (!k.startsWith('xmlns')) attrs[k] = String(v);
  const body = node[name];
  const children: XmlElement[] = [];
  let text = '';
  if (Array.isArray(body)) {
    for (const child of body as OrderedNode[]) {
      if (typeof child !== 'object' || child === null) continue;
      if ('#text' in child) text += String(child['#text']);
      else {
        const el = toElement(child);
        if (el) children.push(el);
      }
    }
  }
  return { name, attrs, text, children };
}

/** Parses a whole document; undefined when it is not well-formed XML or has no root element. */
export function parseXml(source: string): XmlElement | undefined {
  if (source.length === 0 || XMLValidator.validate(source) !== true) return undefined;
  try {
    const nodes = parser.parse(source) as OrderedNode[];
    for (const n of nodes) {
      const el = toElement(n);
      if (el) return el;
    }
  } catch {
    // fall through: not XML we can read
  }
  return undefined;
}

/** First child element with local name `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** All child elements with local name `name`. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Follows a path of local names from `el`: `path(env, 'Body', 'ProbeMatches')`. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** Depth-first search for the first descendant named `name` (including `el`). */
export function find(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  if (el.name === name) return el;
  for (const c of el.children) {
    const hit = find(c, name);
    if (hit) return hit;
  }
  return undefined;
}

/** Escapes text for use in element content or a double-quoted attribute. */
export function escapeXml(value: string | number): string {
  return String(value).replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}
