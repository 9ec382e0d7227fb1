import { Field, ObjectType } from 'type-graphql';

@ObjectType('ConfigEntry')
export class ConfigEntryType {
  @Field(() => String) key!: string;
  @Field(() => String, { nullable: true }) value!: string | null;
  @Field(() => Boolean) isDefault!: boolean;
  @Field(() => String, { nullable: true, description: 'What the setting does' }) doc!: string | null;
}
