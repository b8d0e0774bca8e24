import { AuditService, type AuditActor } from '../audit/audit.service';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import {
  ORGANISATION_KINDS,
  type Organisation,
  type OrganisationKind,
} from './organisation.entity';
import { OrganisationsRepository } from './organisations.repository';

export const ORGANISATION_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,39}$/;

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly repo: OrganisationsRepository,
    private readonly audit: AuditService,
  ) {}

  async create(input: {
    code: string;
    name: string;
    kind: string;
    trusted?: boolean;
  }): Promise<Organisation> {
    const problems: string[] = [];
    if (!ORGANISATION_CODE.test(input.code))
      problems.push('code must be 2-40 letters, digits, ".", "_" or "-"');
    if (!input.name?.trim()) problems.push('name must not be empty');
    if (!(ORGANISATION_KINDS as readonly string[]).includes(input.kind))
      problems.push(`kind must be one of ${ORGANISATION_KINDS.join(', ')}`);
    if (problems.length) throw new DomainError('invalid_input', problems.join('; '));
    if (await this.repo.findByCode(input.code))
      throw new DomainError('conflict', `Organisation ${input.code} already exists`);
    return this.repo.create({
      code: input.code,
      name: input.name.trim(),
      kind: input.kind as OrganisationKind,
      trusted: input.trusted ?? false,
    });
  }

  async byCode(code: string): Promise<Organisation> {
    const org = await this.repo.findByCode(code);
    if (!org)
      throw new DomainError(
        'not_found',
        `Organisation ${code} was not found (create it with insight-bank orgs:create)`,
      );
    return org;
  }

  /** Trusted organisations' new batches skip moderator review; batches already uploaded keep their status. */
  /** Trusts an organisation or not; `by` (who asked) is recorded as `organisation.trust`. */
  async setTrusted(code: string, trusted: boolean, by?: AuditActor): Promise<Organisation> {
    const org = await this.byCode(code);
    await this.repo.setTrusted(org.id, trusted);
    if (by)
      await this.audit.record(by, {
        action: 'organisation.trust',
        targetType: 'organisation',
        targetId: org.code,
        details: { trusted },
      });
    return { ...org, trusted };
  }

  list(): Promise<Organisation[]> {
    return this.repo.list();
  }
}
