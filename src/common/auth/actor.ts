/** Who is calling, taken from the verified bearer token and passed to services as plain data. */
export interface Actor {
  userId: string;
  workspaceId: string;
  /**
   * `staff`: a ScendCore staff member acting on the workspace through the operations console
   * (`userId` is then the staff user's id). Absent: a workspace user.
   */
  kind?: 'user' | 'staff';
}
