-- CreateTable
CREATE TABLE "Topic" (
    "topicId" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "partitionCount" INTEGER NOT NULL,
    "replicationFactor" INTEGER NOT NULL,
    "createdAtMs" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "TopicConfig" (
    "topicId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    PRIMARY KEY ("topicId", "key"),
    CONSTRAINT "TopicConfig_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic" ("topicId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Partition" (
    "topicId" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "leaderId" INTEGER,
    "leaderEpoch" INTEGER NOT NULL DEFAULT 0,
    "replicas" TEXT NOT NULL,
    "isr" TEXT NOT NULL,

    PRIMARY KEY ("topicId", "partition"),
    CONSTRAINT "Partition_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic" ("topicId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsumerGroup" (
    "groupId" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL,
    "generation" INTEGER NOT NULL,
    "protocolType" TEXT,
    "protocol" TEXT,
    "updatedAtMs" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "GroupMember" (
    "groupId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "groupInstanceId" TEXT,
    "clientId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "sessionTimeoutMs" INTEGER NOT NULL,
    "rebalanceTimeoutMs" INTEGER NOT NULL,
    "assignment" TEXT NOT NULL DEFAULT '[]',

    PRIMARY KEY ("groupId", "memberId"),
    CONSTRAINT "GroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ConsumerGroup" ("groupId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CommittedOffset" (
    "groupId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "metadata" TEXT,
    "commitTimeMs" BIGINT NOT NULL,

    PRIMARY KEY ("groupId", "topic", "partition"),
    CONSTRAINT "CommittedOffset_topic_fkey" FOREIGN KEY ("topic") REFERENCES "Topic" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Producer" (
    "producerId" BIGINT NOT NULL PRIMARY KEY,
    "producerEpoch" INTEGER NOT NULL,
    "transactionalId" TEXT,
    "updatedAtMs" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "Transaction" (
    "transactionalId" TEXT NOT NULL PRIMARY KEY,
    "producerId" BIGINT NOT NULL,
    "producerEpoch" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "transactionTimeoutMs" INTEGER NOT NULL,
    "startedAtMs" BIGINT,
    "updatedAtMs" BIGINT NOT NULL,
    CONSTRAINT "Transaction_producerId_fkey" FOREIGN KEY ("producerId") REFERENCES "Producer" ("producerId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TransactionPartition" (
    "transactionalId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,

    PRIMARY KEY ("transactionalId", "topic", "partition"),
    CONSTRAINT "TransactionPartition_transactionalId_fkey" FOREIGN KEY ("transactionalId") REFERENCES "Transaction" ("transactionalId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Topic_name_key" ON "Topic"("name");

-- CreateIndex
CREATE UNIQUE INDEX "GroupMember_groupId_groupInstanceId_key" ON "GroupMember"("groupId", "groupInstanceId");

-- CreateIndex
CREATE INDEX "CommittedOffset_topic_idx" ON "CommittedOffset"("topic");

-- CreateIndex
CREATE UNIQUE INDEX "Producer_transactionalId_key" ON "Producer"("transactionalId");

-- CreateIndex
CREATE INDEX "Transaction_producerId_idx" ON "Transaction"("producerId");
