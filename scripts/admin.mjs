#!/usr/bin/env node
// `npm run -s admin -- <command>`: the admin API (/admin/v1 on the edge) from a terminal. Every command prints JSON on
// stdout; a failure prints a JSON error on stderr and exits non-zero (1: the API refused or could not be reached,
// 2: the command line was wrong). The base URL and admin token come from APITOPMIX_BASE_URL and
// APITOPMIX_ADMIN_TOKEN, else from .local/admin.json, which `npm start` writes.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { adminFile, readAdminFile } from './lib/admin-file.mjs';

class CliFailure extends Error {
  constructor(body, exitCode) {
    super(body.error.message);
    this.body = body;
    this.exitCode = exitCode;
  }
}

const cliError = (code, message, exitCode = 2) => new CliFailure({ error: { message, type: 'cli_error', code } }, exitCode);

function connection() {
  let file = {};
  try {
    file = readAdminFile();
  } catch (error) {
    throw cliError('bad_admin_file', error.message, 1);
  }
  const baseUrl = (process.env.APITOPMIX_BASE_URL || file.baseUrl || 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const adminToken = process.env.APITOPMIX_ADMIN_TOKEN || file.adminToken;
  if (!adminToken) {
    throw cliError('no_admin_token', `No admin token: run \`npm start\` (it writes ${adminFile}) or set APITOPMIX_ADMIN_TOKEN.`, 1);
  }
  return { baseUrl, adminToken };
}

async function call(method, path, body) {
  const { baseUrl, adminToken } = connection();
  let response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const reason = error.cause?.code ?? error.cause?.message ?? error.message;
    throw new CliFailure(
      { error: { message: `Cannot reach ${baseUrl} (${reason}). Is \`npm start\` running?`, type: 'connection_error', code: 'unreachable' } },
      1,
    );
  }
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = json?.error && typeof json.error === 'object' ? json.error : { message: text.slice(0, 500) || response.statusText, type: 'http_error' };
    throw new CliFailure({ error: { ...error, status: response.status } }, 1);
  }
  return json;
}

const enc = encodeURIComponent;

function positiveInteger(value) {
  if (!/^[1-9][0-9]{0,9}$/.test(value)) throw new InvalidArgumentError('must be a positive whole number.');
  return Number(value);
}

function modelList(value) {
  const models = value
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (models.length === 0) throw new InvalidArgumentError('must name at least one model, e.g. gpt-4.1,claude-sonnet-4-6');
  return models;
}

const program = new Command('admin')
  .description('ApiTopMix administration: accounts, API keys, credit and usage (prints JSON)')
  .showHelpAfterError(false)
  .exitOverride()
  .configureOutput({ writeErr: () => undefined, outputError: () => undefined });

const accounts = program.command('accounts').description('accounts').exitOverride();
accounts
  .command('create')
  .description('create an account and its first API key: prints {accountId, keyId, apiKey, ...}; the key is shown only now')
  .requiredOption('--name <name>', 'account name')
  .addOption(new Option('--tier <tier>', 'plan tier').choices(['free', 'standard', 'pro', 'enterprise']).makeOptionMandatory())
  .option('--credit <usd>', 'initial prepaid credit in USD, e.g. 25 or 12.345678 (default 0)')
  .option('--rpm <n>', 'requests per minute (enterprise only)', positiveInteger)
  .option('--tpm <n>', 'tokens per minute (enterprise only)', positiveInteger)
  .action(async (o) => print(await call('POST', '/admin/v1/accounts', { name: o.name, tier: o.tier, creditUsd: o.credit, rpmLimit: o.rpm, tpmLimit: o.tpm })));
accounts
  .command('show')
  .description('an account: tier, status, limits, balance')
  .argument('<accountId>')
  .action(async (accountId) => print(await call('GET', `/admin/v1/accounts/${enc(accountId)}`)));

const keys = program.command('keys').description('API keys').exitOverride();
keys
  .command('create')
  .description('create an API key: prints {keyId, apiKey, ...}; the key is shown only now')
  .requiredOption('--account <id>', 'account id')
  .option('--name <name>', 'a label for the key')
  .option('--expires <iso>', 'expiry, ISO 8601 (e.g. 2027-01-01 or 2027-01-01T00:00:00Z)')
  .option('--models <a,b>', 'the only models the key may call (default: all)', modelList)
  .action(async (o) => print(await call('POST', `/admin/v1/accounts/${enc(o.account)}/keys`, { name: o.name, expiresAt: o.expires, allowedModels: o.models })));
keys
  .command('list')
  .description("an account's keys (prefixes only, never the keys)")
  .requiredOption('--account <id>', 'account id')
  .action(async (o) => print(await call('GET', `/admin/v1/accounts/${enc(o.account)}/keys`)));
keys
  .command('revoke')
  .description('revoke a key: every edge refuses it within 5 seconds')
  .argument('<keyId>')
  .action(async (keyId) => print(await call('POST', `/admin/v1/keys/${enc(keyId)}/revoke`)));

const credit = program.command('credit').description('prepaid credit').exitOverride();
credit
  .command('add')
  .description('add prepaid credit (exact decimal USD); the same --idempotency-key never credits twice')
  .requiredOption('--account <id>', 'account id')
  .requiredOption('--usd <amount>', 'USD, e.g. 10 or 0.50 (at most 6 decimals)')
  .option('--idempotency-key <key>', 'makes a retry safe (default: a new random key)')
  .action(async (o) => print(await call('POST', `/admin/v1/accounts/${enc(o.account)}/credits`, { usd: o.usd, idempotencyKey: o.idempotencyKey })));

program
  .command('usage')
  .description('balance, and requests, tokens and cost per model and UTC day')
  .requiredOption('--account <id>', 'account id')
  .option('--since <iso>', 'from this date (UTC) or instant (default: 00:00 UTC thirty days ago)')
  .action(async (o) => print(await call('GET', `/admin/v1/accounts/${enc(o.account)}/usage${o.since ? `?since=${enc(o.since)}` : ''}`)));

for (const command of program.commands.flatMap((c) => [c, ...c.commands])) {
  command.exitOverride().configureOutput({ writeErr: () => undefined, outputError: () => undefined });
}

function print(value) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  let failure = error;
  if (error instanceof CommanderError) {
    // --help and --version print text and succeed.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') process.exit(0);
    failure =
      error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync'
        ? cliError('missing_command', 'Missing command. Commands: accounts create|show, keys create|list|revoke, credit add, usage (see --help).')
        : cliError(
            error.code
              .replace(/^commander\./, '')
              .replace(/([A-Z])/g, '_$1')
              .toLowerCase(),
            error.message.replace(/^error: /, ''),
          );
  } else if (!(error instanceof CliFailure)) {
    failure = new CliFailure({ error: { message: String(error?.message ?? error), type: 'cli_error', code: 'internal' } }, 1);
  }
  process.stderr.write(`${JSON.stringify(failure.body)}\n`);
  process.exit(failure.exitCode);
}
