import { Module } from '@nestjs/common';
import { PlacesImportService } from './places-import.service';
import { PlacesRepository } from './places.repository';

@Module({
  providers: [PlacesRepository, PlacesImportService],
  exports: [PlacesRepository, PlacesImportService],
})
export class PlacesModule {}
