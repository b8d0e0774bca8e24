import { AuditService, type AuditActor } from '../audit/audit.service';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { OrganisationsService } from '../organisations/organisations.service';
import { ApiKey } from './api-key.entity';
import { ApiKeyCache, type KnownKey } from './api-key-cache';
import {
  decoyHash,
  hashPassword,
  newApiKey,
  parseApiKey,
  passwordProblem,
  sameHash,
  sha256Hex,
  verifyPassword,
} from './credentials';
import { isRole, ROLES, type Role } from './permissions';
import type { Principal } from './principal';
import { AppUser } from './user.entity';

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
/** last_used_at is written at most this often per key, so reads do not turn into writes. */
const LAST_USED_GRANULARITY_MS = 60 * 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type SignInOutcome =
  | { ok: true; user: AppUser }
  | { ok: false; reason: 'bad_credentials' | 'locked' | 'disabled'; user?: AppUser };

export interface CreatedKey {
  id: string;
  prefix: string;
  /** Shown once; only its hash is stored. */
  key: string;
  role: Role;
  organisation: string;
  expiresAt: Date | null;
}

export type ChangePasswordOutcome =
  | { ok: true; changedAt: Date }
  | {
      ok: false;
      problem: 'no_account' | 'no_password' | 'locked' | 'wrong_current' | 'weak' | 'same';
      message?: string;
    };

/** People and machine clients: creation, sign-in with lockout, API key checks and revocation. */
@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly orgs: OrganisationsService,
    private readonly keys: ApiKeyCache,
    private readonly audit: AuditService,
  ) {}

  /** Creates a person's account; `by` (who asked) is recorded in the audit log as `user.create`. */
  async createUser(
    input: {
      email: string;
      role: string;
      organisation: string;
      password?: string;
      displayName?: string;
    },
    by?: AuditActor,
  ): Promise<AppUser> {
    const email = input.email.trim().toLowerCase();
    const problems: string[] = [];
    if (!EMAIL.test(email)) problems.push('email must be an email address');
    if (!isRole(input.role)) problems.push(`role must be one of ${ROLES.join(', ')}`);
    if (input.password !== undefined) {
      const p = passwordProblem(input.password);
      if (p) problems.push(p);
    }
    if (problems.length) throw new DomainError('invalid_input', problems.join('; '));
    const org = await this.orgs.byCode(input.organisation);
    const repo = this.ds.getRepository(AppUser);
    if (await repo.findOneBy({ email }))
      throw new DomainError('conflict', `A user with email ${email} already exists`);
    const user = await repo.save(
      repo.create({
        email,
        displayName: input.displayName?.trim() ?? '',
        role: input.role as Role,
        organisationId: org.id,
        passwordHash: input.password === undefined ? null : await hashPassword(input.password),
      }),
    );
    if (by)
      await this.audit.record(by, {
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        details: { role: user.role },
      });
    return user;
  }

  async setPassword(email: string, password: string): Promise<void> {
    const p = passwordProblem(password);
    if (p) throw new DomainError('invalid_input', p);
    const user = await this.userByEmail(email);
    await this.ds.getRepository(AppUser).update(user.id, {
      passwordHash: await hashPassword(password),
      failedSignIns: 0,
      lockedUntil: null,
      passwordChangedAt: new Date(),
    });
  }

  /**
   * A signed-in person changes their own password. The current password is required and a wrong
   * one counts towards the account's lockout like a failed sign-in; every other session of the
   * person ends (sessions signed in before the change are refused from then on).
   */
  async changeOwnPassword(
    userId: string,
    current: string,
    next: string,
    now = new Date(),
  ): Promise<ChangePasswordOutcome> {
    const repo = this.ds.getRepository(AppUser);
    const user = await repo.findOneBy({ id: userId });
    if (!user || user.disabled) return { ok: false, problem: 'no_account' };
    if (!user.passwordHash) return { ok: false, problem: 'no_password' };
    if (user.lockedUntil && user.lockedUntil > now) return { ok: false, problem: 'locked' };
    if (!(await verifyPassword(current, user.passwordHash))) {
      await this.ds.query(
        `UPDATE app_user SET failed_sign_ins = failed_sign_ins + 1,
           locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
         WHERE id = $1`,
        [user.id, MAX_FAILED_SIGN_INS, new Date(now.getTime() + LOCKOUT_MS)],
      );
      return { ok: false, problem: 'wrong_current' };
    }
    const weak = passwordProblem(next);
    if (weak) return { ok: false, problem: 'weak', message: weak };
    if (next === current) return { ok: false, problem: 'same' };
    await repo.update(user.id, {
      passwordHash: await hashPassword(next),
      failedSignIns: 0,
      lockedUntil: null,
      passwordChangedAt: now,
    });
    return { ok: true, changedAt: now };
  }

  async userByEmail(email: string): Promise<AppUser> {
    const user = await this.ds
      .getRepository(AppUser)
      .findOneBy({ email: email.trim().toLowerCase() });
    if (!user) throw new DomainError('not_found', `No user has the email ${email.trim()}`);
    return user;
  }

  listUsers(): Promise<AppUser[]> {
    return this.ds
      .getRepository(AppUser)
      .find({ relations: { organisation: true }, order: { email: 'ASC' } });
  }

  async setUserDisabled(email: string, disabled: boolean): Promise<void> {
    const user = await this.userByEmail(email);
    await this.ds.getRepository(AppUser).update(user.id, { disabled });
  }

  /**
   * Checks an email and password. Unknown emails cost the same time as known ones; after
   * MAX_FAILED_SIGN_INS failures in a row the account is locked for LOCKOUT_MS.
   */
  async signIn(emailRaw: string, password: string, now = new Date()): Promise<SignInOutcome> {
    const email = emailRaw.trim().toLowerCase();
    const repo = this.ds.getRepository(AppUser);
    const user = await repo.findOneBy({ email });
    if (!user || !user.passwordHash) {
      await verifyPassword(password, await decoyHash());
      return { ok: false, reason: 'bad_credentials' };
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      // Spend the same time as a real check, so a fast answer does not tell that the account exists.
      await verifyPassword(password, user.passwordHash);
      return { ok: false, reason: 'locked', user };
    }
    const good = await verifyPassword(password, user.passwordHash);
    if (!good) {
      const rows = await this.ds.query<Array<{ failed_sign_ins: number }>>(
        `UPDATE app_user SET failed_sign_ins = failed_sign_ins + 1,
           locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
         WHERE id = $1 RETURNING failed_sign_ins`,
        [user.id, MAX_FAILED_SIGN_INS, new Date(now.getTime() + LOCKOUT_MS)],
      );
      const failures = rows[0]?.failed_sign_ins ?? 0;
      return {
        ok: false,
        reason: failures >= MAX_FAILED_SIGN_INS ? 'locked' : 'bad_credentials',
        user,
      };
    }
    if (user.disabled) return { ok: false, reason: 'disabled', user };
    await repo.update(user.id, { failedSignIns: 0, lockedUntil: null, lastSignInAt: now });
    return { ok: true, user };
  }

  /** The principal of a signed-in person, or null when the account is gone or disabled. */
  /**
   * The principal of a signed-in person, or null when the account is gone or disabled, or its
   * password was changed after `signedInAt` (ms since 1970) so that session must end.
   */
  async principalForUser(userId: string, signedInAt?: number): Promise<Principal | null> {
    const rows = await this.ds.query<
      Array<{
        id: string;
        email: string;
        role: Role;
        organisation_id: string;
        code: string;
        changed_ms: string | null;
      }>
    >(
      `SELECT u.id, u.email, u.role, u.organisation_id, o.code,
              (extract(epoch FROM u.password_changed_at) * 1000)::bigint AS changed_ms
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id
        WHERE u.id = $1 AND NOT u.disabled`,
      [userId],
    );
    const u = rows[0];
    if (!u) return null;
    if (signedInAt !== undefined && u.changed_ms !== null && signedInAt < Number(u.changed_ms)) {
      return null;
    }
    return {
      kind: 'user',
      id: u.id,
      role: u.role,
      organisationId: u.organisation_id,
      organisationCode: u.code,
      label: u.email,
    };
  }

  /** Creates an API key; `by` (who asked) is recorded in the audit log as `key.create`. */
  async createKey(
    input: {
      organisation: string;
      role: string;
      expires?: Date;
      name?: string;
      createdBy?: string;
      now?: Date;
    },
    by?: AuditActor,
  ): Promise<CreatedKey> {
    if (!isRole(input.role))
      throw new DomainError('invalid_input', `role must be one of ${ROLES.join(', ')}`);
    if (input.expires && input.expires <= (input.now ?? new Date()))
      throw new DomainError('invalid_input', 'expires must be in the future');
    const org = await this.orgs.byCode(input.organisation);
    const k = newApiKey();
    const saved = await this.ds.getRepository(ApiKey).save(
      this.ds.getRepository(ApiKey).create({
        prefix: k.prefix,
        secretHash: k.secretHash,
        name: input.name?.trim() ?? '',
        organisationId: org.id,
        role: input.role,
        expiresAt: input.expires ?? null,
        createdBy: input.createdBy ?? null,
      }),
    );
    if (by)
      await this.audit.record(by, {
        action: 'key.create',
        targetType: 'api_key',
        targetId: k.prefix,
        details: { role: saved.role, organisation: org.code },
      });
    return {
      id: saved.id,
      prefix: k.prefix,
      key: k.key,
      role: saved.role,
      organisation: org.code,
      expiresAt: saved.expiresAt,
    };
  }

  /**
   * Revokes a key by its prefix (or id). Revoking twice is harmless. `by` (who asked) is recorded
   * in the audit log as `key.revoke`.
   */
  async revokeKey(prefixOrId: string, now = new Date(), by?: AuditActor): Promise<ApiKey> {
    const repo = this.ds.getRepository(ApiKey);
    const key = /^[0-9a-f-]{36}$/.test(prefixOrId)
      ? await repo.findOneBy({ id: prefixOrId })
      : await repo.findOneBy({ prefix: prefixOrId.trim() });
    if (!key) throw new DomainError('not_found', `API key ${prefixOrId} was not found`);
    if (!key.revokedAt) await repo.update({ id: key.id, revokedAt: IsNull() }, { revokedAt: now });
    await this.keys.revoked(key.prefix);
    if (by)
      await this.audit.record(by, {
        action: 'key.revoke',
        targetType: 'api_key',
        targetId: key.prefix,
      });
    return (await repo.findOneBy({ id: key.id }))!;
  }

  listKeys(): Promise<ApiKey[]> {
    return this.ds
      .getRepository(ApiKey)
      .find({ relations: { organisation: true }, order: { createdAt: 'DESC' } });
  }

  /**
   * The principal for an API key, or why it is refused. A key is refused when malformed,
   * unknown, wrong, revoked or expired; the caller answers 401 in every case.
   */
  async principalForKey(
    raw: string,
    now = new Date(),
  ): Promise<
    { principal: Principal } | { refused: 'malformed' | 'unknown' | 'revoked' | 'expired' }
  > {
    const parsed = parseApiKey(raw);
    if (!parsed) return { refused: 'malformed' };
    const t = now.getTime();
    const k = this.keys.get(parsed.prefix, t) ?? (await this.loadKey(parsed.prefix, t));
    if (!k || !sameHash(k.secretHash, sha256Hex(parsed.secret))) return { refused: 'unknown' };
    if (k.revoked) return { refused: 'revoked' };
    if (k.expiresAt !== null && k.expiresAt <= t) return { refused: 'expired' };
    if (k.lastUsedAt === null || t - k.lastUsedAt > LAST_USED_GRANULARITY_MS) {
      k.lastUsedAt = t;
      await this.ds.query(`UPDATE api_key SET last_used_at = $2 WHERE id = $1`, [k.id, now]);
    }
    return {
      principal: {
        kind: 'api_key',
        id: k.id,
        role: k.role,
        organisationId: k.organisationId,
        organisationCode: k.organisationCode,
        label: `key:${parsed.prefix}`,
      },
    };
  }

  private async loadKey(prefix: string, now: number): Promise<KnownKey | undefined> {
    const readSince = this.keys.generation;
    const rows = await this.ds.query<
      Array<{
        id: string;
        secret_hash: string;
        role: Role;
        organisation_id: string;
        code: string;
        expires_at: Date | null;
        revoked_at: Date | null;
        last_used_at: Date | null;
      }>
    >(
      `SELECT k.id, k.secret_hash, k.role, k.organisation_id, o.code, k.expires_at, k.revoked_at, k.last_used_at
         FROM api_key k JOIN organisation o ON o.id = k.organisation_id WHERE k.prefix = $1`,
      [prefix],
    );
    const r = rows[0];
    if (!r) return undefined;
    const key: KnownKey = {
      id: r.id,
      prefix,
      secretHash: r.secret_hash,
      role: r.role,
      organisationId: r.organisation_id,
      organisationCode: r.code,
      expiresAt: r.expires_at ? r.expires_at.getTime() : null,
      revoked: r.revoked_at !== null,
      lastUsedAt: r.last_used_at ? r.last_used_at.getTime() : null,
    };
    this.keys.set(key, now, readSince);
    return key;
  }
}
