import { Field, ObjectType } from 'type-graphql';
import type { RecordPage } from '../../server/broker/index';
import { SafeIntScalar } from '../scalars/index';
import { LogRecord } from './record.type';

@ObjectType('RecordPage', { description: 'One page of a partition; ask again from nextOffset for the next' })
export class RecordPageType {
  constructor(private readonly page: RecordPage) {}

  @Field(() => [LogRecord]) get records(): LogRecord[] { return this.page.records.map((r) => new LogRecord(r, this.page.topic, this.page.partition)); }
  @Field(() => SafeIntScalar) get nextOffset(): number { return this.page.nextOffset; }
  @Field(() => SafeIntScalar) get highWatermark(): number { return this.page.highWatermark; }
}
