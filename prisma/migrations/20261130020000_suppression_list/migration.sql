-- CreateEnum
CREATE TYPE "SuppressionReason" AS ENUM ('hard_bounce', 'unsubscribe', 'complaint', 'manual');

-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "suppressed_recipients" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "suppression" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" "SuppressionReason" NOT NULL,
    "source" TEXT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppression_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "suppression_workspace_id_created_at_id_idx" ON "suppression"("workspace_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "suppression_workspace_id_email_key" ON "suppression"("workspace_id", "email");
