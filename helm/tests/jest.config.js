// The chart's unit tests (scripts/chart-check.mjs runs them, after building helm): the repository's unit project
// settings (swc, path aliases) over helm/tests/*.spec.ts.
const { projects } = require('../../jest.config.js');

const [unit] = projects;
module.exports = { ...unit, displayName: 'chart', testMatch: ['<rootDir>/helm/tests/**/*.spec.ts'] };
