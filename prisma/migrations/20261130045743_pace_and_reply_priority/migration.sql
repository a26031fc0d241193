-- AlterTable
ALTER TABLE "identity" ADD COLUMN     "pace_override" JSONB;

-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "in_reply_to" TEXT,
ADD COLUMN     "is_reply" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "pace_gap_until" TIMESTAMPTZ(3),
ADD COLUMN     "pace_waited_at" TIMESTAMPTZ(3),
ADD COLUMN     "paced_at" TIMESTAMPTZ(3),
ADD COLUMN     "waiting_reason" TEXT;

-- AlterTable
ALTER TABLE "sender_profile" ADD COLUMN     "pace" JSONB;

-- CreateTable
CREATE TABLE "mailbox_time_zone" (
    "mailbox_id" TEXT NOT NULL,
    "time_zone" TEXT,
    "source" TEXT NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mailbox_time_zone_pkey" PRIMARY KEY ("mailbox_id")
);

-- CreateIndex
CREATE INDEX "outbound_message_identity_id_paced_at_idx" ON "outbound_message"("identity_id", "paced_at");

-- AddForeignKey
ALTER TABLE "mailbox_time_zone" ADD CONSTRAINT "mailbox_time_zone_mailbox_id_fkey" FOREIGN KEY ("mailbox_id") REFERENCES "mailbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;
