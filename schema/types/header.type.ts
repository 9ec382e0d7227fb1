import { Field, ObjectType } from 'type-graphql';
import type { RecordHeader } from '../../storage/index';
import { base64OrNull, utf8OrNull } from './bytes-view';

@ObjectType('Header', { simpleResolvers: true, description: 'A record header; duplicates are kept in order, as Kafka does' })
export class HeaderType {
  constructor(private readonly header: RecordHeader) {}

  @Field(() => String, { description: 'The header key (UTF-8 text; keys may repeat)' })
  get key(): string {
    return this.header.key;
  }

  @Field(() => String, { nullable: true, description: 'UTF-8 text, or null when the bytes are not UTF-8 (or absent)' })
  get value(): string | null {
    return utf8OrNull(this.header.value);
  }

  @Field(() => String, { nullable: true, description: 'The exact bytes, base64; null when absent' })
  get valueBase64(): string | null {
    return base64OrNull(this.header.value);
  }
}
