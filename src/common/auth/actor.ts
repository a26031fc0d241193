/** Who is calling, taken from the verified bearer token and passed to services as plain data. */
export interface Actor {
  userId: string;
  workspaceId: string;
}
