import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { ChatRequest, ListTasksRequest } from '@todo/contracts';
import { deviceZone, localWeekStart } from './zoned-time';
import type {
  ChatMessagePage,
  ChatReply,
  CompleteTaskResult,
  ConversationPage,
  ReopenTaskResult,
  Notification,
  TestNotificationAccepted,
  NotificationPage,
  NotificationPreferences,
  RecurrencePattern,
  RecurrenceRequest,
  Reminder,
  Task,
  TaskChangesPage,
  TaskList,
  CreateTaskRequest,
  TaskPage,
  CreateListInput,
  List,
  ListPage,
  UpdateListInput,
  AcceptInviteResult,
  CreateInviteInput,
  CreatedListInvite,
  ListInvitePage,
  ListMember,
  ListMemberPage,
  UpdateMemberInput,
} from './types';

/** The list's query (contracts' ListTasksRequest). */
export type TaskQuery = ListTasksRequest;

const V1 = '/api/v1';

/** `Idempotency-Key` of a retried change (the outbox's): the server does it once. */
const keyed = (key?: string, extra: Record<string, string> = {}) => ({
  headers: { ...extra, ...(key ? { 'Idempotency-Key': key } : {}) },
});

/** The REST API (`/api/v1`), one promise-returning method per route. */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);

  listTasks(query: TaskQuery): Promise<TaskPage> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '')
        params = params.set(key, String(value));
    }
    return firstValueFrom(this.http.get<TaskPage>(`${V1}/tasks`, { params }));
  }

  lists(): Promise<ListPage> {
    return firstValueFrom(this.http.get<ListPage>(`${V1}/lists`));
  }

  createList(body: CreateListInput): Promise<List> {
    return firstValueFrom(this.http.post<List>(`${V1}/lists`, body));
  }

  updateList(id: string, patch: UpdateListInput): Promise<List> {
    return firstValueFrom(this.http.patch<List>(`${V1}/lists/${id}`, patch));
  }

  deleteList(id: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${V1}/lists/${id}`));
  }

  // ---- sharing (members, invites) ----

  members(listId: string): Promise<ListMemberPage> {
    return firstValueFrom(this.http.get<ListMemberPage>(`${V1}/lists/${listId}/members`));
  }

  /** A member's role (owners), or one's own reminders (`userId` = `me`). */
  updateMember(listId: string, userId: string, patch: UpdateMemberInput): Promise<ListMember> {
    return firstValueFrom(
      this.http.patch<ListMember>(`${V1}/lists/${listId}/members/${userId}`, patch),
    );
  }

  /** Removes a member, or leaves (`me`). */
  removeMember(listId: string, userId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${V1}/lists/${listId}/members/${userId}`));
  }

  transferList(listId: string, userId: string): Promise<ListMemberPage> {
    return firstValueFrom(
      this.http.post<ListMemberPage>(`${V1}/lists/${listId}/transfer`, { userId }),
    );
  }

  invites(listId: string): Promise<ListInvitePage> {
    return firstValueFrom(this.http.get<ListInvitePage>(`${V1}/lists/${listId}/invites`));
  }

  createInvite(listId: string, body: CreateInviteInput): Promise<CreatedListInvite> {
    return firstValueFrom(this.http.post<CreatedListInvite>(`${V1}/lists/${listId}/invites`, body));
  }

  /** A new link for a pending invite, mailed; the previous link stops working. */
  resendInvite(listId: string, inviteId: string): Promise<CreatedListInvite> {
    return firstValueFrom(
      this.http.post<CreatedListInvite>(`${V1}/lists/${listId}/invites/${inviteId}/resend`, null),
    );
  }

  revokeInvite(listId: string, inviteId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${V1}/lists/${listId}/invites/${inviteId}`));
  }

  acceptInvite(token: string): Promise<AcceptInviteResult> {
    return firstValueFrom(this.http.post<AcceptInviteResult>(`${V1}/invites/accept`, { token }));
  }

  getTask(id: string): Promise<Task> {
    return firstValueFrom(this.http.get<Task>(`${V1}/tasks/${id}`));
  }

  createTask(draft: CreateTaskRequest, key?: string): Promise<Task> {
    return firstValueFrom(this.http.post<Task>(`${V1}/tasks`, draft, keyed(key)));
  }

  /** Conditional when `version` is given: the server answers 409 if someone changed it since. */
  updateTask(
    id: string,
    patch: Partial<CreateTaskRequest> & { status?: string },
    version?: number,
    key?: string,
  ) {
    const ifMatch: Record<string, string> = version ? { 'If-Match': `"${version}"` } : {};
    return firstValueFrom(this.http.patch<Task>(`${V1}/tasks/${id}`, patch, keyed(key, ifMatch)));
  }

  deleteTask(id: string, key?: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${V1}/tasks/${id}`, keyed(key)));
  }

  completeTask(id: string, key?: string): Promise<CompleteTaskResult> {
    return firstValueFrom(
      this.http.post<CompleteTaskResult>(`${V1}/tasks/${id}/complete`, {}, keyed(key)),
    );
  }

  /** Takes a completion back; a repeating task's untouched next instance goes with it. */
  reopenTask(id: string, key?: string): Promise<ReopenTaskResult> {
    return firstValueFrom(
      this.http.post<ReopenTaskResult>(`${V1}/tasks/${id}/reopen`, {}, keyed(key)),
    );
  }

  /** Brings a deleted task back. */
  restoreTask(id: string, key?: string): Promise<Task> {
    return firstValueFrom(this.http.post<Task>(`${V1}/tasks/${id}/restore`, {}, keyed(key)));
  }

  putRecurrence(id: string, pattern: RecurrenceRequest): Promise<RecurrencePattern> {
    return firstValueFrom(
      this.http.put<RecurrencePattern>(`${V1}/tasks/${id}/recurrence`, pattern),
    );
  }

  deleteRecurrence(id: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${V1}/tasks/${id}/recurrence`));
  }

  instances(id: string): Promise<{ items: Task[] } | Task[]> {
    return firstValueFrom(this.http.get<TaskList | Task[]>(`${V1}/tasks/${id}/instances`));
  }

  getReminder(id: string): Promise<Reminder> {
    return firstValueFrom(this.http.get<Reminder>(`${V1}/tasks/${id}/reminder`));
  }

  updateReminder(id: string, patch: Partial<Omit<Reminder, 'scheduledFor'>>): Promise<Reminder> {
    return firstValueFrom(this.http.patch<Reminder>(`${V1}/tasks/${id}/reminder`, patch));
  }

  changes(since: string, limit = 500): Promise<TaskChangesPage> {
    const params = new HttpParams().set('since', since).set('limit', limit);
    return firstValueFrom(this.http.get<TaskChangesPage>(`${V1}/tasks/changes`, { params }));
  }

  getPreferences(): Promise<NotificationPreferences> {
    return firstValueFrom(this.http.get<NotificationPreferences>(`${V1}/users/me/notifications`));
  }

  updatePreferences(patch: Partial<NotificationPreferences>): Promise<NotificationPreferences> {
    return firstValueFrom(
      this.http.patch<NotificationPreferences>(`${V1}/users/me/notifications`, patch),
    );
  }

  notifications(limit = 50): Promise<NotificationPage> {
    const params = new HttpParams().set('limit', limit);
    return firstValueFrom(this.http.get<NotificationPage>(`${V1}/notifications`, { params }));
  }

  /** Asks for a test notification on every enabled channel; it arrives in the inbox. */
  sendTestNotification(): Promise<TestNotificationAccepted> {
    return firstValueFrom(this.http.post<TestNotificationAccepted>(`${V1}/notifications/test`, {}));
  }

  markRead(id: string): Promise<Notification> {
    return firstValueFrom(this.http.post<Notification>(`${V1}/notifications/${id}/read`, {}));
  }

  /** Every message carries the device's zone: the reply names it when it is not the saved one. */
  chat(message: string, conversationId?: string): Promise<ChatReply> {
    // The locale's first day of the week: "this week" in the chat is the list's week.
    const body: ChatRequest = { message, timeZone: deviceZone(), weekStart: localWeekStart() };
    if (conversationId) body.conversationId = conversationId;
    return firstValueFrom(this.http.post<ChatReply>(`${V1}/chat`, body));
  }

  /** The user's chat conversations, most recent activity first. */
  conversations(limit = 20, cursor?: string): Promise<ConversationPage> {
    let params = new HttpParams().set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    return firstValueFrom(this.http.get<ConversationPage>(`${V1}/chat/conversations`, { params }));
  }

  /** A page of a conversation, oldest → newest: the latest without a cursor, else the ones before it. */
  conversationMessages(id: string, limit = 30, cursor?: string): Promise<ChatMessagePage> {
    let params = new HttpParams().set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    return firstValueFrom(
      this.http.get<ChatMessagePage>(`${V1}/chat/conversations/${id}/messages`, { params }),
    );
  }

  deleteConversation(id: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${V1}/chat/conversations/${id}`));
  }
}
