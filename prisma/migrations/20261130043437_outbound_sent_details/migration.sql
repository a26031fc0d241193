-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "details_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "details_check_at" TIMESTAMPTZ(3),
ADD COLUMN     "details_gave_up_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "outbound_message_details_check_at_idx" ON "outbound_message"("details_check_at");

-- Messages sent in the last day without their ids are looked up by the sent-details job (older
-- ones are left alone: one Graph call each for the whole history would be a burst for nothing).
UPDATE "outbound_message" SET "details_check_at" = "sent_at"
 WHERE "status" = 'sent' AND "internet_message_id" IS NULL
   AND "sent_at" > now() - interval '1 day';
