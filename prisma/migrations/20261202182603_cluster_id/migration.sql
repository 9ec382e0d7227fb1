-- CreateTable
CREATE TABLE "ClusterMetadata" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" TEXT NOT NULL,
    "createdAtMs" BIGINT NOT NULL
);
