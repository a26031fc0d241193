-- CreateEnum
CREATE TYPE "ConnectionType" AS ENUM ('delegated', 'organization');

-- CreateEnum
CREATE TYPE "MailboxStatus" AS ENUM ('active', 'needs_reauth', 'error');

-- CreateEnum
CREATE TYPE "MailboxPurpose" AS ENUM ('new_business', 'support', 'general', 'billing', 'personal');

-- CreateEnum
CREATE TYPE "MailboxBehavior" AS ENUM ('full_auto', 'reply_only', 'triage_only', 'disabled');

-- CreateEnum
CREATE TYPE "OAuthAttemptKind" AS ENUM ('connect', 'admin_consent');

-- CreateEnum
CREATE TYPE "IdentityType" AS ENUM ('primary', 'alias', 'send_as');

-- CreateEnum
CREATE TYPE "IdentitySource" AS ENUM ('discovered', 'manual');

-- CreateEnum
CREATE TYPE "IdentityStatus" AS ENUM ('active', 'inactive', 'send_as_denied');

-- CreateTable
CREATE TABLE "mailbox" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL DEFAULT 'microsoft',
    "connection_type" "ConnectionType" NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "ms_user_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT,
    "status" "MailboxStatus" NOT NULL DEFAULT 'active',
    "status_reason" TEXT,
    "connected_by_user_id" TEXT,
    "organization_id" TEXT,
    "inbound_enabled" BOOLEAN NOT NULL DEFAULT false,
    "inbound_purpose" "MailboxPurpose" NOT NULL DEFAULT 'general',
    "inbound_behavior" "MailboxBehavior" NOT NULL DEFAULT 'triage_only',
    "connected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disconnected_at" TIMESTAMPTZ(3),
    "token_refreshed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mailbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mailbox_credential" (
    "mailbox_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "access_token_expires_at" TIMESTAMPTZ(3),
    "scopes" TEXT NOT NULL DEFAULT '',
    "refresh_attempts" INTEGER NOT NULL DEFAULT 0,
    "next_refresh_at" TIMESTAMPTZ(3),
    "last_refresh_error" TEXT,
    "locked_until" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mailbox_credential_pkey" PRIMARY KEY ("mailbox_id")
);

-- CreateTable
CREATE TABLE "oauth_attempt" (
    "id" TEXT NOT NULL,
    "kind" "OAuthAttemptKind" NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "return_to" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity" (
    "id" TEXT NOT NULL,
    "mailbox_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT,
    "type" "IdentityType" NOT NULL,
    "source" "IdentitySource" NOT NULL,
    "status" "IdentityStatus" NOT NULL DEFAULT 'active',
    "verified_at" TIMESTAMPTZ(3),
    "sender_profile_id" TEXT,
    "last_seen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_scan" (
    "mailbox_id" TEXT NOT NULL,
    "scanned_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "next_scan_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "locked_by" TEXT,

    CONSTRAINT "identity_scan_pkey" PRIMARY KEY ("mailbox_id")
);

-- CreateIndex
CREATE INDEX "mailbox_workspace_id_disconnected_at_idx" ON "mailbox"("workspace_id", "disconnected_at");

-- CreateIndex
CREATE UNIQUE INDEX "mailbox_workspace_id_tenant_id_ms_user_id_key" ON "mailbox"("workspace_id", "tenant_id", "ms_user_id");

-- CreateIndex
CREATE INDEX "mailbox_credential_next_refresh_at_idx" ON "mailbox_credential"("next_refresh_at");

-- CreateIndex
CREATE INDEX "oauth_attempt_expires_at_idx" ON "oauth_attempt"("expires_at");

-- CreateIndex
CREATE INDEX "identity_workspace_id_idx" ON "identity"("workspace_id");

-- CreateIndex
CREATE INDEX "identity_sender_profile_id_idx" ON "identity"("sender_profile_id");

-- CreateIndex
CREATE UNIQUE INDEX "identity_mailbox_id_email_key" ON "identity"("mailbox_id", "email");

-- CreateIndex
CREATE INDEX "identity_scan_next_scan_at_idx" ON "identity_scan"("next_scan_at");

-- AddForeignKey
ALTER TABLE "mailbox" ADD CONSTRAINT "mailbox_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mailbox_credential" ADD CONSTRAINT "mailbox_credential_mailbox_id_fkey" FOREIGN KEY ("mailbox_id") REFERENCES "mailbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity" ADD CONSTRAINT "identity_mailbox_id_fkey" FOREIGN KEY ("mailbox_id") REFERENCES "mailbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_scan" ADD CONSTRAINT "identity_scan_mailbox_id_fkey" FOREIGN KEY ("mailbox_id") REFERENCES "mailbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;
