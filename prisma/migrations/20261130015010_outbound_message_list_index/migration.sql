-- CreateIndex
CREATE INDEX "outbound_message_workspace_id_created_at_id_idx" ON "outbound_message"("workspace_id", "created_at" DESC, "id" DESC);
