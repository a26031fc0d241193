-- AlterTable
ALTER TABLE "oauth_attempt" ADD COLUMN     "binding_hash" TEXT,
ADD COLUMN     "login_hint" TEXT,
ADD COLUMN     "oidc_session" JSONB;
