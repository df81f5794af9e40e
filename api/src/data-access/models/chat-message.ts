import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { ChatAction } from '@todo/contracts';

export class ChatMessageModel extends Model<
  InferAttributes<ChatMessageModel>,
  InferCreationAttributes<ChatMessageModel>
> {
  declare id: string;
  declare conversationId: string;
  declare role: 'user' | 'assistant';
  declare content: string;
  declare actions: ChatAction[];
  declare createdAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    ChatMessageModel.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true },
        conversationId: { type: DataTypes.UUID, allowNull: false },
        role: { type: DataTypes.STRING(16), allowNull: false },
        content: { type: DataTypes.TEXT, allowNull: false },
        actions: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
        createdAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'chat_messages', modelName: 'ChatMessage', updatedAt: false },
    );
  }
}
