import { LOCALE_ID, Pipe, inject, type PipeTransform } from '@angular/core';
import { formatInZone } from './zoned-time';

/**
 * `{{ task.dueDate | zonedDate: 'EEE d MMM, HH:mm' : zone.zone() }}`: Angular's date patterns,
 * shown in an IANA zone (DatePipe only takes fixed offsets, which go wrong across DST).
 */
@Pipe({ name: 'zonedDate' })
export class ZonedDatePipe implements PipeTransform {
  private readonly locale = inject(LOCALE_ID);

  transform(value: string | null | undefined, pattern: string, zone: string): string | null {
    return formatInZone(value, pattern, zone, this.locale);
  }
}
