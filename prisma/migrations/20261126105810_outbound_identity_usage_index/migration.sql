-- CreateIndex
CREATE INDEX "outbound_message_identity_id_sending_started_at_idx" ON "outbound_message"("identity_id", "sending_started_at");
