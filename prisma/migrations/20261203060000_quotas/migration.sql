-- CreateTable
CREATE TABLE "Quota" (
    "principal" TEXT NOT NULL PRIMARY KEY,
    "producerByteRate" BIGINT,
    "consumerByteRate" BIGINT,
    "updatedAtMs" BIGINT NOT NULL
);
