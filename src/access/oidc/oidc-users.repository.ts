import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../permissions';
import { AppUser } from '../user.entity';

export interface OidcUserFields {
  email: string;
  displayName: string;
  role: Role;
  organisationId: string;
  oidcIssuer: string;
  oidcSubject: string;
}

/** The app_user rows of people who sign in through OIDC. */
@Injectable()
export class OidcUsersRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `work` in one transaction, so the lookups and the write it makes agree. */
  transaction<T>(work: (users: OidcUsersTransaction) => Promise<T>): Promise<T> {
    return this.ds.transaction((m) => work(new OidcUsersTransaction(m)));
  }
}

export class OidcUsersTransaction {
  constructor(private readonly m: EntityManager) {}

  /** The person with this issuer and subject, locked until the transaction ends. */
  findBySubject(issuer: string, subject: string): Promise<AppUser | null> {
    return this.m
      .getRepository(AppUser)
      .createQueryBuilder('u')
      .where('u.oidcIssuer = :issuer AND u.oidcSubject = :subject', { issuer, subject })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** The person with this (lower-case) email, locked until the transaction ends. */
  findByEmail(email: string): Promise<AppUser | null> {
    return this.m
      .getRepository(AppUser)
      .createQueryBuilder('u')
      .where('u.email = :email', { email })
      .setLock('pessimistic_write')
      .getOne();
  }

  create(fields: OidcUserFields, now: Date): Promise<AppUser> {
    const repo = this.m.getRepository(AppUser);
    return repo.save(repo.create({ ...fields, passwordHash: null, lastSignInAt: now }));
  }

  /** Takes name, role, organisation and identity from the provider and records the sign-in. */
  async refresh(id: string, fields: OidcUserFields, now: Date): Promise<void> {
    await this.m.getRepository(AppUser).update(id, { ...fields, lastSignInAt: now });
  }
}
