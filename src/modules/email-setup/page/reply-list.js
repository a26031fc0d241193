/**
 * AI replies a person decides on (`GET /v1/inbound/replies`): drafts awaiting review, replies
 * scheduled in their undo window, and the ones decided on this page (followed until sent).
 */
export const replyList = {
  review: [],
  scheduled: [],
  decided: [],

  /** Each reply carries the message it answers (sender, subject, preview, Outlook link). */
  async load(api) {
    const [review, scheduled] = await Promise.all([
      api.get('/v1/inbound/replies?status=awaiting_review&limit=50'),
      api.get('/v1/inbound/replies?status=scheduled&limit=50'),
    ]);
    this.review = review.items;
    this.scheduled = scheduled.items;
  },
};
