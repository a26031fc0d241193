-- CreateEnum
CREATE TYPE "OutboundStatus" AS ENUM ('queued', 'sending', 'sent', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "sender_profile" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "from_name" TEXT NOT NULL,
    "reply_to" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sender_profile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_message" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "sender_profile_id" TEXT NOT NULL,
    "identity_id" TEXT,
    "mailbox_id" TEXT,
    "from_email" TEXT,
    "to_recipients" JSONB NOT NULL,
    "cc_recipients" JSONB NOT NULL DEFAULT '[]',
    "bcc_recipients" JSONB NOT NULL DEFAULT '[]',
    "recipient_count" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "text_body" TEXT,
    "html_body" TEXT,
    "status" "OutboundStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "idempotency_key" TEXT,
    "request_hash" TEXT NOT NULL,
    "marker" TEXT NOT NULL,
    "internet_message_id" TEXT,
    "conversation_id" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "sending_started_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sender_profile_workspace_id_idx" ON "sender_profile"("workspace_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_marker_key" ON "outbound_message"("marker");

-- CreateIndex
CREATE INDEX "outbound_message_status_next_attempt_at_idx" ON "outbound_message"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbound_message_mailbox_id_sending_started_at_idx" ON "outbound_message"("mailbox_id", "sending_started_at");

-- CreateIndex
CREATE INDEX "outbound_message_sender_profile_id_status_idx" ON "outbound_message"("sender_profile_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_workspace_id_idempotency_key_key" ON "outbound_message"("workspace_id", "idempotency_key");
