import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** Marks an event as handled by one consumer, so a redelivery has no second side effect. */
export class ProcessedEventModel extends Model<
  InferAttributes<ProcessedEventModel>,
  InferCreationAttributes<ProcessedEventModel>
> {
  declare eventId: string;
  declare consumer: string;
  declare processedAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    ProcessedEventModel.init(
      {
        eventId: { type: DataTypes.STRING(200), primaryKey: true },
        consumer: { type: DataTypes.STRING(100), primaryKey: true },
        processedAt: { type: DataTypes.DATE, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'processed_events', modelName: 'ProcessedEvent', timestamps: false },
    );
  }
}
