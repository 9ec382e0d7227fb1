-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "principal" TEXT NOT NULL,
    "salt" BLOB NOT NULL,
    "hash" BLOB NOT NULL,
    "params" TEXT NOT NULL,
    "description" TEXT,
    "createdAtMs" BIGINT NOT NULL,
    "lastUsedAtMs" BIGINT,
    "revokedAtMs" BIGINT
);

-- CreateTable
CREATE TABLE "Acl" (
    "principal" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "resourceName" TEXT NOT NULL,
    "patternType" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "permission" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "createdAtMs" BIGINT NOT NULL,

    PRIMARY KEY ("principal", "resourceType", "resourceName", "patternType", "operation", "permission", "host")
);
