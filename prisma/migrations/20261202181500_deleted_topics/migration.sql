-- CreateTable
CREATE TABLE "DeletedTopic" (
    "topicId" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "partitionCount" INTEGER NOT NULL,
    "deletedAtMs" BIGINT NOT NULL
);
