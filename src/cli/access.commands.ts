import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { IdentityService } from '../access/identity.service';
import { ROLES } from '../access/permissions';
import { systemPrincipal } from '../access/principal';
import { withContext } from './cli-context';

const CLI = systemPrincipal('cli');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function parseExpiry(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T23:59:59Z`) : new Date(v);
  if (Number.isNaN(d.getTime()))
    throw new Error(`--expires must be a date such as 2027-03-31 (got "${v}")`);
  return d;
}

/** users:* and keys:* — people who sign in, and machine clients' API keys. */
export function registerAccessCommands(program: Command): void {
  program
    .command('users:create')
    .description('Add a person who signs in to the web pages (prints a generated password once)')
    .requiredOption('--email <email>', 'their email address (their sign-in name)')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .requiredOption('--org <code>', 'their organisation code')
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(
      async (o: {
        email: string;
        role: string;
        org: string;
        name?: string;
        passwordStdin?: boolean;
      }) => {
        const password = o.passwordStdin
          ? await readStdin()
          : randomBytes(18).toString('base64url');
        await withContext({}, async (app) => {
          const user = await app.get(IdentityService).createUser(
            {
              email: o.email,
              role: o.role,
              organisation: o.org,
              password,
              displayName: o.name,
            },
            { principal: CLI },
          );
          process.stdout.write(`Created ${user.role} ${user.email} (${o.org}) ${user.id}\n`);
          if (!o.passwordStdin)
            process.stdout.write(
              `Password (shown once; they can change it after signing in, under "Change your password"): ${password}\n`,
            );
        });
      },
    );

  program
    .command('users:set-password')
    .description('Set a new password (read from standard input) and clear any lockout')
    .requiredOption('--email <email>', 'the user')
    .action(async (o: { email: string }) => {
      const password = await readStdin();
      await withContext({}, async (app) => {
        await app.get(IdentityService).setPassword(o.email, password);
        process.stdout.write(`Password set for ${o.email.trim().toLowerCase()}\n`);
      });
    });

  program
    .command('users:list')
    .description('List people who can sign in')
    .action(async () => {
      await withContext({}, async (app) => {
        for (const u of await app.get(IdentityService).listUsers())
          process.stdout.write(
            `${u.email}\t${u.role}\t${u.organisation?.code ?? ''}\t${u.disabled ? 'disabled' : 'active'}\t${u.lastSignInAt?.toISOString() ?? 'never signed in'}\n`,
          );
      });
    });

  program
    .command('keys:create')
    .description(
      'Create an API key for a machine client (prints the key once; only a hash is kept)',
    )
    .requiredOption('--org <code>', 'the organisation the key acts for')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--expires <date>', 'last day the key works, e.g. 2027-03-31')
    .option('--name <name>', 'what the key is for, e.g. "survey tool nightly upload"')
    .action(async (o: { org: string; role: string; expires?: string; name?: string }) => {
      const expires = parseExpiry(o.expires);
      await withContext({}, async (app) => {
        const k = await app
          .get(IdentityService)
          .createKey(
            { organisation: o.org, role: o.role, expires, name: o.name, createdBy: 'cli' },
            { principal: CLI },
          );
        process.stdout.write(
          `Created ${k.role} key ${k.prefix} for ${k.organisation}${k.expiresAt ? `, expires ${k.expiresAt.toISOString()}` : ''}\n` +
            `Key (shown once, keep it secret): ${k.key}\n` +
            `Send it as: Authorization: Bearer ${k.prefix}_…\n`,
        );
      });
    });

  program
    .command('keys:revoke <prefix>')
    .description('Revoke an API key at once (by its prefix, e.g. ib_1a2b3c4d)')
    .action(async (prefix: string) => {
      await withContext({}, async (app) => {
        const k = await app.get(IdentityService).revokeKey(prefix, new Date(), { principal: CLI });
        process.stdout.write(`Revoked ${k.prefix} at ${k.revokedAt?.toISOString() ?? ''}\n`);
      });
    });

  program
    .command('keys:list')
    .description('List API keys: prefix, role, organisation, expiry, revocation and last use')
    .action(async () => {
      await withContext({}, async (app) => {
        for (const k of await app.get(IdentityService).listKeys())
          process.stdout.write(
            [
              k.prefix,
              k.role,
              k.organisation?.code ?? '',
              k.revokedAt
                ? `revoked ${k.revokedAt.toISOString()}`
                : k.expiresAt
                  ? `expires ${k.expiresAt.toISOString()}`
                  : 'no expiry',
              k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used',
              k.name,
            ].join('\t') + '\n',
          );
      });
    });
}
