-- CreateEnum
CREATE TYPE "InboundDeliveryMode" AS ENUM ('notifications', 'polling');

-- CreateEnum
CREATE TYPE "InboundDeliveryState" AS ENUM ('active', 'paused', 'stopped');

-- CreateEnum
CREATE TYPE "InboundStage" AS ENUM ('pending', 'replying', 'done');

-- CreateEnum
CREATE TYPE "InboundAction" AS ENUM ('replied', 'triaged', 'skipped', 'failed');

-- CreateTable
CREATE TABLE "inbound_subscription" (
    "mailbox_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "state" "InboundDeliveryState" NOT NULL DEFAULT 'active',
    "mode" "InboundDeliveryMode" NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "graph_subscription_id" TEXT,
    "client_state_hash" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "renew_at" TIMESTAMPTZ(3),
    "delta_link" TEXT,
    "catch_up_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_catch_up_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbound_subscription_pkey" PRIMARY KEY ("mailbox_id")
);

-- CreateTable
CREATE TABLE "inbound_message" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "mailbox_id" TEXT NOT NULL,
    "graph_message_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "stage" "InboundStage" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "internet_message_id" TEXT,
    "conversation_id" TEXT,
    "from_address" TEXT,
    "from_name" TEXT,
    "subject" TEXT,
    "received_at" TIMESTAMPTZ(3),
    "category" TEXT,
    "intent" TEXT,
    "confidence" DOUBLE PRECISION,
    "summary" TEXT,
    "provider" TEXT,
    "routed_at" TIMESTAMPTZ(3),
    "route_error" TEXT,
    "action" "InboundAction",
    "reason" TEXT,
    "reply_marker" TEXT,
    "reply_outbound_id" TEXT,
    "reply_booked_at" TIMESTAMPTZ(3),
    "reply_text" TEXT,
    "reply_internet_message_id" TEXT,
    "reply_sent_at" TIMESTAMPTZ(3),
    "processed_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai_thread" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "mailbox_id" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "outbound_message_id" TEXT,
    "internet_message_id" TEXT,
    "conversation_id" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "resolve_attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_thread_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai_usage" (
    "workspace_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ai_usage_pkey" PRIMARY KEY ("workspace_id","day")
);

-- CreateIndex
CREATE UNIQUE INDEX "inbound_subscription_graph_subscription_id_key" ON "inbound_subscription"("graph_subscription_id");

-- CreateIndex
CREATE INDEX "inbound_subscription_state_renew_at_idx" ON "inbound_subscription"("state", "renew_at");

-- CreateIndex
CREATE INDEX "inbound_subscription_state_catch_up_at_idx" ON "inbound_subscription"("state", "catch_up_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_message_reply_marker_key" ON "inbound_message"("reply_marker");

-- CreateIndex
CREATE INDEX "inbound_message_stage_next_attempt_at_idx" ON "inbound_message"("stage", "next_attempt_at");

-- CreateIndex
CREATE INDEX "inbound_message_workspace_id_created_at_idx" ON "inbound_message"("workspace_id", "created_at");

-- CreateIndex
CREATE INDEX "inbound_message_mailbox_id_conversation_id_idx" ON "inbound_message"("mailbox_id", "conversation_id");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_message_mailbox_id_graph_message_id_key" ON "inbound_message"("mailbox_id", "graph_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "ai_thread_outbound_message_id_key" ON "ai_thread"("outbound_message_id");

-- CreateIndex
CREATE INDEX "ai_thread_mailbox_id_conversation_id_idx" ON "ai_thread"("mailbox_id", "conversation_id");

-- CreateIndex
CREATE INDEX "ai_thread_mailbox_id_internet_message_id_idx" ON "ai_thread"("mailbox_id", "internet_message_id");

-- CreateIndex
CREATE INDEX "ai_thread_mailbox_id_resolved_at_idx" ON "ai_thread"("mailbox_id", "resolved_at");
