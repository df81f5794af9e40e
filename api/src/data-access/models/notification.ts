import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { ChannelDelivery, NotificationChannel } from '@todo/contracts';

export class NotificationModel extends Model<
  InferAttributes<NotificationModel>,
  InferCreationAttributes<NotificationModel>
> {
  declare id: string;
  declare userId: string;
  declare title: string;
  declare body: string;
  declare taskIds: string[];
  declare channels: NotificationChannel[];
  declare deliveries: CreationOptional<ChannelDelivery[]>;
  declare idempotencyKey: string | null;
  declare readAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    NotificationModel.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true },
        userId: { type: DataTypes.TEXT, allowNull: false },
        title: { type: DataTypes.STRING(255), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false },
        taskIds: { type: DataTypes.ARRAY(DataTypes.UUID), allowNull: false },
        channels: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false },
        deliveries: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
        idempotencyKey: { type: DataTypes.STRING(200) },
        readAt: { type: DataTypes.DATE },
        createdAt: { type: DataTypes.DATE },
        updatedAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'notifications', modelName: 'Notification' },
    );
  }
}
