/**
 * AI replies a person decides on (`GET /v1/inbound/replies`): drafts awaiting review, replies
 * scheduled in their undo window, and the ones decided on this page (followed until sent).
 */
export const replyList = {
  review: [],
  scheduled: [],
  /** The answered messages, by id: sender, received, the AI's one-line summary. */
  messages: new Map(),
  decided: [],

  async load(api) {
    const [review, scheduled, messages] = await Promise.all([
      api.get('/v1/inbound/replies?status=awaiting_review&limit=50'),
      api.get('/v1/inbound/replies?status=scheduled&limit=50'),
      api.get('/v1/inbound/messages?limit=100'),
    ]);
    this.review = review.items;
    this.scheduled = scheduled.items;
    this.messages = new Map(messages.items.map((m) => [m.id, m]));
  },
};
