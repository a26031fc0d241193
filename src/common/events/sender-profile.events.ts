/** Events published by the sender-profile module (payloads: ids and small facts). */

/** The outreach pace of the profile, or of one of its identities, changed. */
export interface SenderProfilePaceChanged {
  workspaceId: string;
  senderProfileId: string;
}
