-- AlterTable
ALTER TABLE "mailbox" ADD COLUMN     "status_reason_since" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "mailbox_credential" ADD COLUMN     "access_token_issued_at" TIMESTAMPTZ(3);

-- Existing reasons (needs_reauth) were set at the row's last update at the latest.
UPDATE "mailbox" SET "status_reason_since" = "updated_at" WHERE "status_reason" IS NOT NULL;
