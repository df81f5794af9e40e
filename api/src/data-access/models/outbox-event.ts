import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { CloudEvent, Topic } from '@todo/contracts';

/** An event committed with the change that caused it, waiting for the relay. */
export class OutboxEventModel extends Model<
  InferAttributes<OutboxEventModel>,
  InferCreationAttributes<OutboxEventModel>
> {
  declare id: CreationOptional<string>;
  declare eventId: string;
  declare topic: Topic;
  declare partitionKey: string;
  declare payload: CloudEvent;
  declare attempts: CreationOptional<number>;
  declare lastError: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare sentAt: CreationOptional<Date | null>;

  static initialize(sequelize: Sequelize): void {
    OutboxEventModel.init(
      {
        // bigserial: pg returns it as a string, which keeps 64-bit ids exact.
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        eventId: { type: DataTypes.UUID, allowNull: false },
        topic: { type: DataTypes.STRING(100), allowNull: false },
        partitionKey: { type: DataTypes.STRING(200), allowNull: false },
        payload: { type: DataTypes.JSONB, allowNull: false },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        lastError: { type: DataTypes.TEXT },
        createdAt: { type: DataTypes.DATE },
        sentAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'outbox', modelName: 'OutboxEvent', updatedAt: false },
    );
  }
}
