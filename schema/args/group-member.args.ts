import { ArgsType, Field, Int } from 'type-graphql';

/** How a subscription or pull consumer joins a group (all optional). */
@ArgsType()
export class GroupMemberArgs {
  @Field(() => String, { nullable: true, description: 'Static membership: the same id on reconnect keeps the assignment' })
  groupInstanceId?: string | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Ms without a heartbeat (a pull consumer's poll; a subscription's open socket) before the member is removed (Kafka's session.timeout.ms). Default 45,000; allowed 6,000 to 1,800,000 unless the node is started with other bounds",
  })
  sessionTimeoutMs?: number | null;
  @Field(() => String, { nullable: true, description: 'range, roundrobin or cooperative-sticky (default)' }) assignor?: string | null;
  @Field(() => Boolean, {
    defaultValue: false,
    description:
      "Commit delivered offsets automatically (Kafka's enable.auto.commit): every 5 s, before a partition is handed over and on leaving; a pull consumer also on its next poll. Default false",
  })
  autoCommit!: boolean;
  @Field(() => String, {
    nullable: true,
    description: "A name for the client, shown in the group's members (Kafka's client.id); default none",
  })
  clientId?: string | null;
}
