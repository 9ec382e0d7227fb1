-- CreateTable
CREATE TABLE "GroupTopic" (
    "groupId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,

    PRIMARY KEY ("groupId", "topic"),
    CONSTRAINT "GroupTopic_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ConsumerGroup" ("groupId") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GroupTopic_topic_fkey" FOREIGN KEY ("topic") REFERENCES "Topic" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "GroupTopic_topic_idx" ON "GroupTopic"("topic");
