-- CreateTable
CREATE TABLE "TransactionOffset" (
    "transactionalId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "metadata" TEXT,

    PRIMARY KEY ("transactionalId", "groupId", "topic", "partition"),
    CONSTRAINT "TransactionOffset_transactionalId_fkey" FOREIGN KEY ("transactionalId") REFERENCES "Transaction" ("transactionalId") ON DELETE CASCADE ON UPDATE CASCADE
);
