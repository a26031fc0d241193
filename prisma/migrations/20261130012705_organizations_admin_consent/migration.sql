-- CreateEnum
CREATE TYPE "OrganizationStatus" AS ENUM ('active', 'needs_consent', 'syncing');

-- CreateTable
CREATE TABLE "organization" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "primary_domain" TEXT,
    "status" "OrganizationStatus" NOT NULL DEFAULT 'syncing',
    "status_reason" TEXT,
    "connected_by_user_id" TEXT NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL,
    "consent_lost_at" TIMESTAMPTZ(3),
    "last_sync_at" TIMESTAMPTZ(3),
    "last_sync_counts" JSONB NOT NULL DEFAULT '{}',
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "sync_failures" INTEGER NOT NULL DEFAULT 0,
    "next_sync_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removed_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "admin_consent_attempt" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "workspace_name" TEXT,
    "requested_by" TEXT,
    "tenant" TEXT,
    "return_to" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_consent_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "organization_next_sync_at_idx" ON "organization"("next_sync_at");

-- CreateIndex
CREATE UNIQUE INDEX "organization_workspace_id_tenant_id_key" ON "organization"("workspace_id", "tenant_id");

-- CreateIndex
CREATE INDEX "admin_consent_attempt_expires_at_idx" ON "admin_consent_attempt"("expires_at");

-- CreateIndex
CREATE INDEX "mailbox_organization_id_idx" ON "mailbox"("organization_id");

-- AddForeignKey
ALTER TABLE "mailbox" ADD CONSTRAINT "mailbox_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;
