// Types of dockerfile-lint.js, for the chart's TypeScript specs.
export function parseDockerfile(text: string): { line: number; keyword: string; args: string }[];
export function lintDockerfile(text: string): string[];
