// A small Dockerfile linter for the rules that matter to this project's images (hadolint, the usual tool, is a
// Haskell binary that no registry here serves). No container engine runs here either: images are linted, not built.
// CommonJS with node built-ins only, so the ESM scripts and jest can both load it.
'use strict';

/** Parses a Dockerfile into instructions ({line, keyword, args}), joining continuation lines, dropping comments. */
function parseDockerfile(text) {
  const instructions = [];
  let current;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (!current && (/^\s*#/.test(line) || line.trim() === '')) return;
    if (current && /^\s*#/.test(line)) return;
    const continued = /\\\s*$/.test(line);
    const body = line.replace(/\\\s*$/, '');
    if (current) current.args += ` ${body.trim()}`;
    else {
      const match = /^\s*(\w+)\s*(.*)$/.exec(body);
      if (!match) return;
      current = { line: index + 1, keyword: match[1].toUpperCase(), args: match[2].trim() };
    }
    if (!continued) {
      instructions.push(current);
      current = undefined;
    }
  });
  if (current) instructions.push(current);
  return instructions;
}

/**
 * The rules: every base image pinned (a version tag or a digest, never `latest` or none); multi-stage; the final
 * stage runs as a numeric non-root user (so Kubernetes' runAsNonRoot can verify it); no ADD (COPY says what it
 * does, and ADD of a URL fetches unpinned content); `npm ci`, never `npm install`; apt-get with
 * --no-install-recommends and its lists removed; ENTRYPOINT/CMD in exec form (node is PID 1 and gets SIGTERM
 * itself); WORKDIR absolute. Returns problems as "line N: message".
 */
function lintDockerfile(text) {
  const instructions = parseDockerfile(text);
  const problems = [];
  const at = (instruction, message) => problems.push(`line ${instruction.line}: ${message}`);
  const stages = [];
  const stageNames = new Set();
  for (const instruction of instructions) {
    const { keyword, args } = instruction;
    if (keyword === 'FROM') {
      const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const image = words[0];
      const alias = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      stages.push({ image, user: undefined, instruction });
      if (!stageNames.has(image) && image !== 'scratch') {
        const digest = /@sha256:[0-9a-f]{64}$/.test(image);
        const tag = /:([\w][\w.-]*)$/.exec(image.replace(/@.*$/, ''))?.[1];
        if (!digest && !tag) at(instruction, `base image ${image} is not pinned: give a version tag or a digest`);
        else if (!digest && (tag === 'latest' || !/\d/.test(tag))) at(instruction, `base image ${image} is not pinned to a version`);
      }
      if (alias) stageNames.add(alias);
    } else if (keyword === 'USER') {
      if (stages.length) stages[stages.length - 1].user = instruction;
    } else if (keyword === 'ADD') {
      at(instruction, /https?:\/\//.test(args) ? 'ADD of a URL: download in a RUN step with a checksum, or COPY' : 'use COPY, not ADD');
    } else if (keyword === 'RUN') {
      if (/\bnpm (install|i)\b/.test(args)) at(instruction, 'use `npm ci` (the lockfile), not `npm install`');
      if (/\bsudo\b/.test(args)) at(instruction, 'no sudo in images');
      if (/apt-get install/.test(args) && !/--no-install-recommends/.test(args)) at(instruction, 'apt-get install without --no-install-recommends');
      if (/apt-get install/.test(args) && !/rm -rf \/var\/lib\/apt\/lists/.test(args)) at(instruction, 'apt-get install without removing /var/lib/apt/lists');
      if (/\bcurl\b[^|]*\|\s*(ba)?sh/.test(args)) at(instruction, 'piping a download into a shell');
    } else if (keyword === 'ENTRYPOINT' || keyword === 'CMD') {
      if (!args.startsWith('[')) at(instruction, `${keyword} in shell form: use the exec form ["node", ...] so the process gets signals`);
    } else if (keyword === 'WORKDIR') {
      if (!args.startsWith('/')) at(instruction, 'WORKDIR must be absolute');
    }
  }
  if (stages.length === 0) problems.push('no FROM');
  else {
    if (stages.length < 2) problems.push('single-stage build: build in one stage, copy the output into a small runtime stage');
    const final = stages[stages.length - 1];
    if (!final.user) problems.push('the final stage sets no USER: it would run as root');
    else {
      const user = final.user.args.split(':')[0];
      if (!/^\d+$/.test(user)) at(final.user, `USER ${user} is not numeric: Kubernetes cannot verify runAsNonRoot for a name`);
      else if (Number(user) === 0) at(final.user, 'USER 0 is root');
    }
    if (!instructions.some((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD')) problems.push('no ENTRYPOINT or CMD');
  }
  return problems;
}

module.exports = { parseDockerfile, lintDockerfile };
