import { Field, InputType } from 'type-graphql';

@InputType('ConfigEntryInput')
export class ConfigEntryInput {
  @Field(() => String) key!: string;
  @Field(() => String, { nullable: true, description: 'null sets the key back to its default' }) value?: string | null;
}
