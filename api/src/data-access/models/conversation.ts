import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { ChatAction, Task } from '@todo/contracts';

/** What a follow-up can take back ("undo"): the last change the chat made. */
export type UndoStep =
  | { kind: 'created'; taskIds: string[] }
  | { kind: 'changed'; before: Task }
  | { kind: 'completed'; taskIds: string[] }
  | { kind: 'deleted'; tasks: Task[] };

/** A question the chat asked; the next message answers it. */
export type PendingQuestion =
  /** "Which one?": the command waits for one of the candidates. */
  | { kind: 'which-task'; command: unknown; candidateIds: string[] }
  /** "Which days?" ("twice a week"): the add waits for the days. */
  | { kind: 'which-days'; intent: unknown }
  /** "Which days of the month?" ("twice a month"): the add waits for the days. */
  | { kind: 'which-monthdays'; intent: unknown }
  /** "Delete these N tasks?": only a yes deletes them. */
  | { kind: 'confirm-delete'; taskIds: string[] }
  /** "Delete the list Work and its 3 tasks?": only a yes deletes it. */
  | { kind: 'confirm-delete-list'; listId: string }
  /** "You have no list called Shopping: make it?": a yes makes it, then runs the command. */
  | { kind: 'create-list'; name: string; command: unknown };

/** What the chat remembers between turns of one conversation. */
export interface ConversationState {
  /** The task "it" / "that" refers to. */
  lastTaskId?: string;
  /** Ids of the last list shown, for "the second one". */
  lastListIds?: string[];
  /** A question waiting for an answer. */
  pending?: PendingQuestion;
  /** The last action taken, for corrections ("no, I meant …"). */
  lastAction?: ChatAction;
  /** How to take back the last change. */
  undo?: UndoStep;
}

export class ConversationModel extends Model<
  InferAttributes<ConversationModel>,
  InferCreationAttributes<ConversationModel>
> {
  declare id: string;
  declare userId: string;
  declare state: ConversationState;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    ConversationModel.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true },
        userId: { type: DataTypes.TEXT, allowNull: false },
        state: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        createdAt: { type: DataTypes.DATE },
        updatedAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'conversations', modelName: 'Conversation' },
    );
  }
}
