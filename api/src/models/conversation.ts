import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { ChatAction } from '@todo/contracts';

/** What the interpreter remembers between turns of one conversation. */
export interface ConversationState {
  /** The task "it" / "that" refers to. */
  lastTaskId?: string;
  /** Ids of the last list shown, for "the second one". */
  lastListIds?: string[];
  /** A question waiting for an answer: which task the pending intent meant. */
  pending?: { intent: unknown; candidateIds: string[] };
  /** The last action taken, for corrections ("no, I meant …"). */
  lastAction?: ChatAction;
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
