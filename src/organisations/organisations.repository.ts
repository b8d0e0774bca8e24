import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Organisation } from './organisation.entity';

@Injectable()
export class OrganisationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  findByCode(code: string): Promise<Organisation | null> {
    return this.ds.getRepository(Organisation).findOne({ where: { code } });
  }

  findById(id: string): Promise<Organisation | null> {
    return this.ds.getRepository(Organisation).findOne({ where: { id } });
  }

  list(): Promise<Organisation[]> {
    return this.ds.getRepository(Organisation).find({ order: { code: 'ASC' } });
  }

  create(fields: Pick<Organisation, 'code' | 'name' | 'kind' | 'trusted'>): Promise<Organisation> {
    const repo = this.ds.getRepository(Organisation);
    return repo.save(repo.create(fields));
  }

  async setTrusted(id: string, trusted: boolean): Promise<void> {
    await this.ds.getRepository(Organisation).update({ id }, { trusted });
  }
}
