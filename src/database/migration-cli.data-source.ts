import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { dataSourceOptions } from './data-source';

/**
 * Used by `typeorm migration:generate` (npm run migration:generate) only. Kept apart from
 * data-source.ts because it reads the configuration as it loads: anything importing it would fail
 * on a bad setting before the bank could report that setting in its own words.
 */
export default new DataSource(dataSourceOptions(loadConfig().DATABASE_URL));
