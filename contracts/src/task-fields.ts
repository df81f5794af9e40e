/**
 * The fields of a task a person edits as its content, in the order a form shows them. A PATCH
 * also takes `assigneeId` (a member of the list) and `status` (completes or reopens); they
 * are not in this list. Free of joi so the web app bundles it (its offline outbox and its
 * conflict merge go field by field over this list).
 */
export const EDITABLE_TASK_FIELDS = [
  'listId',
  'title',
  'description',
  'dueDate',
  'priority',
  'tags',
  'reminderOffset',
] as const;
export type EditableTaskField = (typeof EDITABLE_TASK_FIELDS)[number];
