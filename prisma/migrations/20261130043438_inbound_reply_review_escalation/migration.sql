-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "InboundAction" ADD VALUE 'escalated';
ALTER TYPE "InboundAction" ADD VALUE 'discarded';
ALTER TYPE "InboundAction" ADD VALUE 'cancelled';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "InboundStage" ADD VALUE 'awaiting_review';
ALTER TYPE "InboundStage" ADD VALUE 'discarding';

-- AlterTable
ALTER TABLE "inbound_message" ADD COLUMN     "escalation_topic" TEXT,
ADD COLUMN     "reply_decided_at" TIMESTAMPTZ(3),
ADD COLUMN     "reply_draft_id" TEXT,
ADD COLUMN     "reply_edited" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reply_mode" TEXT,
ADD COLUMN     "reply_status" TEXT;

-- CreateTable
CREATE TABLE "inbound_reply_policy" (
    "mailbox_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "reply_mode" TEXT NOT NULL DEFAULT 'review',
    "undo_window_sec" INTEGER NOT NULL DEFAULT 300,
    "daily_reply_cap" INTEGER NOT NULL DEFAULT 50,
    "escalation_topics" JSONB,
    "confidence_floor" DOUBLE PRECISION,
    "business_hours" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbound_reply_policy_pkey" PRIMARY KEY ("mailbox_id")
);

-- CreateIndex
CREATE INDEX "inbound_message_workspace_id_reply_status_created_at_idx" ON "inbound_message"("workspace_id", "reply_status", "created_at");
