// An ESLint rule for the architecture's import boundaries, resolved on real paths (a relative
// import's string alone cannot say whether it leaves a folder). Each zone names the files it
// applies to and the folders they must not import from.
import path from 'node:path';

/** @type {import('eslint').Rule.RuleModule} */
export const boundaries = {
  meta: {
    type: 'problem',
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            target: { type: 'string' },
            forbidden: { type: 'array', items: { type: 'string' } },
            allowed: { type: 'array', items: { type: 'string' } },
            except: { type: 'array', items: { type: 'string' } },
            message: { type: 'string' },
          },
          required: ['target', 'message'],
        },
      },
    ],
  },
  create(context) {
    const zones = context.options[0] ?? [];
    const root = context.cwd;
    const file = path.relative(root, context.filename);
    const active = zones.filter(
      (z) => isInside(file, z.target) && !(z.except ?? []).some((e) => isInside(file, e)),
    );
    if (active.length === 0) return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      // NodeNext imports name the emitted .js file; the zones name the .ts source.
      const target = source.replace(/\.js$/, '.ts');
      const imported = path.relative(root, path.resolve(path.dirname(context.filename), target));
      for (const zone of active) {
        const leaves =
          zone.allowed !== undefined
            ? !zone.allowed.some((a) => isInside(imported, a))
            : (zone.forbidden ?? []).some((f) => isInside(imported, f));
        if (leaves) context.report({ node, message: `${zone.message} (imports ${imported})` });
      }
    };
    return { ImportDeclaration: check, ExportAllDeclaration: check, ExportNamedDeclaration: check };
  },
};

function isInside(file, folder) {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
