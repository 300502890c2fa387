// Turns tsconfig.base.json's path aliases into jest moduleNameMapper entries, so tests import source, not dist.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

function pathsToModuleNameMapper() {
  const root = join(__dirname, '..', '..');
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    const escaped = alias.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
    if (alias.endsWith('/*')) {
      mapper[`^${escaped.slice(0, -1)}([^/]+)$`] = `<rootDir>/${target.replace('*', '$1')}`;
    } else {
      mapper[`^${escaped}$`] = `<rootDir>/${target}`;
    }
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
