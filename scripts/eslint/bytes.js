// Byte-handling rules for src-main, enforced as lint errors with type information. Do not relax
// them: the recorder once wrote corrupt H.265 because of the ambiguity this rule forbids.
//
// `Uint8Array#slice` copies, `Buffer#slice` is a view, and a Node Buffer (every UDP datagram,
// socket chunk and file read) passes for a Uint8Array everywhere, so `bytes.slice()` means a copy
// or a view depending on where the bytes came from. Say which: `subarray` for a view,
// `copyBytes` (src-main/base) for a copy. Array#slice and String#slice are not concerned.

/** True when `type` is Uint8Array, Buffer or a subclass of either (or a union holding one). */
function isByteArray(checker, type, seen = new Set()) {
  if (seen.has(type)) return false;
  seen.add(type);
  if (type.isUnion() || type.isIntersection())
    return type.types.some((t) => isByteArray(checker, t, seen));
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  const name = symbol?.getName();
  if (name === 'Uint8Array' || name === 'Buffer' || name === 'NonSharedUint8Array') return true;
  if (type.isTypeParameter()) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint ? isByteArray(checker, constraint, seen) : false;
  }
  const target = type.target ?? type;
  if (target.isClassOrInterface?.())
    return (checker.getBaseTypes(target) ?? []).some((b) => isByteArray(checker, b, seen));
  return false;
}

const MESSAGE =
  '`.slice()` on bytes is ambiguous: Uint8Array#slice copies but Buffer#slice is a view, and a Buffer (UDP datagram, socket chunk, file read) passes for a Uint8Array. Use `.subarray()` for a view or `copyBytes()` from src-main/base for a copy (the recorder once wrote corrupt H.265 from UDP because of this).';

const noSliceRule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'No .slice() on Uint8Array/Buffer: say view (subarray) or copy (copyBytes)',
    },
    schema: [],
    messages: {
      ambiguous: MESSAGE,
      noTypes:
        'bytes/no-slice needs type information (parserOptions.projectService) for this file.',
    },
  },
  create(context) {
    const services = context.sourceCode?.parserServices ?? context.parserServices;
    if (!services?.program || !services.esTreeNodeToTSNodeMap) {
      return {
        Program(node) {
          context.report({ node, messageId: 'noTypes' });
        },
      };
    }
    const checker = services.program.getTypeChecker();
    return {
      'CallExpression > MemberExpression.callee[computed=false][property.name="slice"]'(node) {
        const tsNode = services.esTreeNodeToTSNodeMap.get(node.object);
        const type = checker.getTypeAtLocation(tsNode);
        if (isByteArray(checker, type))
          context.report({ node: node.property, messageId: 'ambiguous' });
      },
    };
  },
};

export default { meta: { name: 'nvr-bytes' }, rules: { 'no-slice': noSliceRule } };
