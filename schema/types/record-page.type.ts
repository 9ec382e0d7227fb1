import { Field, ObjectType } from 'type-graphql';
import type { RecordPage } from '../../server/broker/index';
import { SafeIntScalar } from '../scalars/index';
import { LogRecord } from './record.type';

@ObjectType('RecordPage', { simpleResolvers: true, description: 'One page of a partition; ask again from nextOffset for the next' })
export class RecordPageType {
  constructor(private readonly page: RecordPage) {}

  @Field(() => [LogRecord], { description: 'The records, in offset order (at most limit); empty at the end of the log' })
  get records(): LogRecord[] {
    return this.page.records.map((r) => new LogRecord(r, this.page.topic, this.page.partition));
  }
  @Field(() => SafeIntScalar, { description: 'The offset to ask from for the next page' }) get nextOffset(): number {
    return this.page.nextOffset;
  }
  @Field(() => SafeIntScalar, {
    description: "The partition's high watermark when the page was read: the page is the last once nextOffset reaches it",
  })
  get highWatermark(): number {
    return this.page.highWatermark;
  }
}
