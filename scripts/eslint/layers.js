// Architecture rules of DESIGN §2, enforced as lint errors. Do not relax these rules:
// if one gets in the way, the design is telling you something.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const rel = (abs) => path.relative(ROOT, abs).split(path.sep).join('/');
const under = (file, dir) => file === dir || file.startsWith(dir + '/');

function resolveLocal(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.js`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
    path.join(base, 'index.js'),
  ];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  // Unresolved: a folder is imported through its index (it may not exist yet).
  return existsSync(base) && statSync(base).isDirectory() ? path.join(base, 'index.ts') : base;
}

const MEDIA_NODE_ALLOWED = new Set(['node:buffer', 'buffer']);

/**
 * The stairs (DESIGN §2): the modules of src-main, each with the modules it stands on. A module may
 * import only those listed for it; anything above or beside it is an error. Written here once.
 */
const STAIRS = {
  base: { on: [], why: 'the dependency-free bottom layer' },
  media: { on: ['base'], why: 'pure codecs and containers' },
  storage: { on: ['base', 'media'], why: 'files and the index, knowing nothing of cameras' },
  camera: { on: ['base', 'media'], why: 'cameras and their streams, knowing nothing of files' },
  recorder: {
    on: ['base', 'media', 'storage', 'camera'],
    why: 'a StreamHub consumer that writes segments; live, its sibling, shares code with it through camera or media',
  },
  live: {
    on: ['base', 'media', 'camera'],
    why: 'a StreamHub consumer that serves viewers; recorder, its sibling, shares code with it through camera or media',
  },
  playback: {
    on: ['base', 'media', 'storage', 'camera', 'recorder'],
    why: 'reads what the recorder wrote',
  },
  server: {
    on: ['base'],
    why: 'the transport (routes, auth, sockets): it reaches the domain only through the handlers the engine gives it',
  },
  engine: {
    on: ['base', 'media', 'storage', 'camera', 'recorder', 'live', 'playback', 'server'],
    why: 'the composition root',
  },
  app: {
    on: ['base', 'media', 'storage', 'camera', 'recorder', 'live', 'playback', 'server', 'engine'],
    why: 'the Electron shell on top',
  },
};

/** Files that may touch the file system, and what each owns. */
const FS_OWNERS = [
  ['src-main/storage', 'recordings and the index'],
  ['src-main/playback', 'export files and the thumbnail cache'],
  ['src-main/engine', 'the config, keys, certificates and data folders'],
  ['src-main/server', "the UI's static files"],
  ['src-main/app', 'desktop settings'],
  ['src-main/camera/rtsp/clip-source.ts', "the simulated camera's clips"],
];
const isFs = (spec) => /^(node:)?fs(\/promises)?$/.test(spec);
const moduleOf = (file) => /^src-main\/([^/]+)\//.exec(file)?.[1];

/** Test code (specs, their helpers and fixtures) may do I/O to drive the module it tests. */
const isTestFile = (file) =>
  /(\.test\.tsx?|\/test-support\.ts)$/.test(file) || /\/(testing|fixtures)\//.test(file);

/** Returns a message when `importer` may not import `spec` (resolved to `target` if local). */
function check(importer, spec, target, isTypeOnly) {
  const testFile = isTestFile(importer);
  const pkg = target
    ? null
    : spec.startsWith('@')
      ? spec.split('/').slice(0, 2).join('/')
      : spec.split('/')[0];
  const isBuiltin =
    !target &&
    (spec.startsWith('node:') ||
      [
        'fs',
        'net',
        'dgram',
        'child_process',
        'worker_threads',
        'os',
        'path',
        'http',
        'https',
        'crypto',
        'events',
        'stream',
        'url',
        'util',
        'timers',
        'buffer',
      ].includes(spec.split('/')[0]));

  // Rule 2: electron only in the app layer (and the preload, which needs contextBridge).
  if (pkg === 'electron') {
    const allowed = under(importer, 'src-main/app') || /^src-preload\/[^/]+$/.test(importer);
    if (!allowed)
      return 'Only src-main/app (and the preload script) may import electron: the engine must start under plain Node (headless `serve`, tests, CI without the Electron binary). Put Electron code in src-main/app behind an interface (DESIGN §2 rule 2).';
  }

  // Rule 4: single owners of SQLite and of werift.
  if (pkg === 'better-sqlite3' && !under(importer, 'src-main/storage'))
    return 'Only src-main/storage touches SQLite: one owner for the index keeps transactions, migrations and crash recovery in one place. Call a storage function instead (DESIGN §2 rule 4).';
  if (pkg === 'werift' && !under(importer, 'src-main/live'))
    return "Only src-main/live touches werift: WebRTC stays a replaceable hub consumer. Use the live module's API instead (DESIGN §2 rule 4).";

  // Rule 1: base imports nothing; media imports nothing from the rest of src-main and does no I/O.
  if (under(importer, 'src-main/base')) {
    if (target && !under(target, 'src-main/base'))
      return 'src-main/base is the bottom layer and imports nothing from the project: everything else may depend on it, so it may depend on nothing (DESIGN §2 rule 1).';
    if (!target && !isBuiltin && !testFile)
      return 'src-main/base imports no packages: it is the dependency-free bottom layer (DESIGN §2 rule 1).';
  }
  if (under(importer, 'src-main/media')) {
    if (target && !under(target, 'src-main/media') && !under(target, 'src-main/base'))
      return 'src-main/media is pure codecs and containers (bytes in, values out) and imports nothing from the rest of src-main except base, so it can be tested and fuzzed alone (DESIGN §2 rule 1).';
    if (!target && !MEDIA_NODE_ALLOWED.has(spec) && !testFile)
      return 'src-main/media does no I/O: no sockets, timers, fs, workers or packages. Pass bytes in and return values; let camera/, storage/ or recorder/ do the I/O (DESIGN §2 rule 1, STYLE 1).';
  }

  // The contract is the shared kernel of every process.
  if (under(importer, 'src-preload/contract')) {
    if (target && !under(target, 'src-preload/contract'))
      return 'src-preload/contract is the shared kernel: it imports nothing from main, preload or renderer, so every process can load it (DESIGN §2).';
    if (!target && pkg !== 'zod' && !testFile)
      return 'src-preload/contract runs in every process (Node, sandboxed preload, browser): no node:, no DOM, no electron; zod is its only dependency (DESIGN §2).';
  }

  // Rule 3: the renderer imports only types from the contract, and nothing else of the project.
  if (under(importer, 'src-renderer') && target && !under(target, 'src-renderer')) {
    if (under(target, 'src-preload/contract')) {
      if (!isTypeOnly)
        return 'The renderer imports only types from src-preload/contract (use `import type`): it talks to the engine through NvrApi, and validation happens on the engine side (DESIGN §2 rule 3).';
    } else {
      return 'The renderer imports nothing from main or preload: it reaches the engine only through NvrApi (window.nvr or the HTTP transport) (DESIGN §2 rule 3).';
    }
  }

  // The engine never reaches into the Electron app; preload and main never into the renderer.
  if (target && under(target, 'src-main/app') && !under(importer, 'src-main/app'))
    return 'Nothing imports src-main/app: the app layer depends on the engine, never the other way round, so the engine runs headless (DESIGN §1).';
  if (
    target &&
    under(importer, 'src-main') &&
    !under(target, 'src-main') &&
    !under(target, 'src-preload/contract') &&
    !under(target, 'native')
  )
    return 'src-main may import only itself, src-preload/contract and native/: the renderer and the preload are other processes (DESIGN §1).';

  // Only the modules that own files touch them.
  if (!target && isFs(spec) && under(importer, 'src-main') && !testFile) {
    const owner = FS_OWNERS.some(([where]) => under(importer, where));
    if (!owner)
      return `Only the modules that own files use node:fs: ${FS_OWNERS.map(([w, what]) => `${w.replace('src-main/', '')} (${what})`).join(', ')}. Ask the owner through its API, or pass bytes in (DESIGN §2).`;
  }

  // No production code stands on test helpers.
  if (
    target &&
    /\/testing(\/|$)/.test(target) &&
    /^src-(main|preload|renderer)\//.test(importer) &&
    !testFile
  )
    return `Production code does not import a testing/ folder (${path.posix.dirname(target)}): test doubles change with the tests. Move what production needs to a home of its own (a demo/ folder, say) (DESIGN §2).`;

  // The stairs: a module imports only the modules below it.
  const from = moduleOf(importer);
  const to = target && moduleOf(target);
  if (from && to && from !== to && STAIRS[from] && STAIRS[to] && !STAIRS[from].on.includes(to)) {
    const stair = STAIRS[from];
    const below = stair.on.length > 0 ? stair.on.join(', ') : 'nothing';
    return `src-main/${from} (${stair.why}) may import only ${below}; ${to} is above or beside it (the stairs of DESIGN §2, written in scripts/eslint/layers.js). Move the shared code down, or let a module above compose the two.`;
  }

  // Rule 5: cross into another module only through its index.ts.
  if (target && /^(src-main|src-renderer|src-preload|native)\//.test(target)) {
    const targetDir = path.posix.dirname(target);
    const importerDir = path.posix.dirname(importer);
    const isIndex = /\/index\.(ts|tsx|js)$/.test(target);
    if (!isIndex && !under(importerDir, targetDir))
      return `Import ${targetDir} through its index.ts, not its inner file ${path.posix.basename(target)}: a module's index is its public API, so its insides can change freely (DESIGN §2 rule 5).`;
  }
  return null;
}

const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Architecture layering rules of DESIGN §2' },
    schema: [],
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const importer = rel(filename);
    if (importer.startsWith('..')) return {};
    function report(node, spec, isTypeOnly) {
      if (typeof spec !== 'string') return;
      const local = spec.startsWith('.') ? rel(resolveLocal(filename, spec)) : null;
      const message = check(importer, spec, local, isTypeOnly);
      if (message) context.report({ node, message });
    }
    const typeOnly = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 &&
        node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
    return {
      ImportDeclaration(node) {
        report(node, node.source.value, typeOnly(node));
      },
      ExportNamedDeclaration(node) {
        if (node.source) report(node, node.source.value, typeOnly(node));
      },
      ExportAllDeclaration(node) {
        report(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') report(node, node.source.value, false);
      },
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        )
          report(node, node.arguments[0].value, false);
      },
    };
  },
};

export default { meta: { name: 'nvr-layers' }, rules: { imports: importsRule } };
