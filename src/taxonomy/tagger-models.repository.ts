import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TaggerModel } from './tagger-model.entity';

export type NewTaggerModel = Pick<
  TaggerModel,
  'name' | 'labels' | 'crosswalk' | 'model' | 'metrics' | 'trainedOn'
>;

/** Identifies the model the enrich step should use, cheaply, so processes can poll for changes. */
export interface ActiveModelRef {
  id: string;
  activatedAt: Date;
}

@Injectable()
export class TaggerModelsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Stores the next version of `m.name` and makes it the active one of that name. */
  addAndActivate(m: NewTaggerModel): Promise<TaggerModel> {
    return this.ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tagger_model:${m.name}`]);
      const [{ v }] = await em.query<Array<{ v: number }>>(
        'SELECT coalesce(max(version), 0)::int AS v FROM tagger_model WHERE name = $1',
        [m.name],
      );
      await em.query('UPDATE tagger_model SET active = false WHERE name = $1 AND active', [m.name]);
      const repo = em.getRepository(TaggerModel);
      const saved = await repo.save(
        repo.create({ ...m, version: v + 1, active: true, activatedAt: new Date() }),
      );
      return saved;
    });
  }

  async activeRef(): Promise<ActiveModelRef | undefined> {
    const [row] = await this.ds.query<Array<{ id: string; activated_at: Date }>>(
      'SELECT id, activated_at FROM tagger_model WHERE active ORDER BY activated_at DESC, id LIMIT 1',
    );
    return row ? { id: row.id, activatedAt: row.activated_at } : undefined;
  }

  findById(id: string): Promise<TaggerModel | null> {
    return this.ds.getRepository(TaggerModel).findOne({ where: { id } });
  }

  /** The active version of `name` and when it was trained, without loading the model itself. */
  async activeVersionOf(name: string): Promise<{ version: number; trainedAt: Date } | undefined> {
    const [row] = await this.ds.query<Array<{ version: number; trained_at: Date }>>(
      'SELECT version, trained_at FROM tagger_model WHERE name = $1 AND active',
      [name],
    );
    return row ? { version: row.version, trainedAt: row.trained_at } : undefined;
  }

  findActiveByName(name: string): Promise<TaggerModel | null> {
    return this.ds.getRepository(TaggerModel).findOne({ where: { name, active: true } });
  }
}
