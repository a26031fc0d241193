/*
  Warnings:

  - You are about to drop the column `resolve_attempts` on the `ai_thread` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "ai_thread" DROP COLUMN "resolve_attempts";

-- AlterTable
ALTER TABLE "inbound_message" ADD COLUMN     "body_preview" TEXT,
ADD COLUMN     "web_link" TEXT;
