import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { NotificationChannel, TaskPriority, TaskStatus } from '@todo/contracts';

export class TaskModel extends Model<
  InferAttributes<TaskModel>,
  InferCreationAttributes<TaskModel>
> {
  declare id: string;
  declare userId: string;
  declare listId: string;
  declare assigneeId: CreationOptional<string | null>;
  /** Who made the latest change (ADR 373); null when unknown or their account is deleted. */
  declare changedBy: CreationOptional<string | null>;
  declare title: string;
  declare description: string | null;
  declare status: CreationOptional<TaskStatus>;
  declare priority: CreationOptional<TaskPriority>;
  declare tags: CreationOptional<string[]>;
  declare dueDate: Date | null;
  declare reminderEnabled: CreationOptional<boolean>;
  declare reminderOffset: number | null;
  declare reminderChannels: CreationOptional<NotificationChannel[]>;
  declare seriesId: string | null;
  declare parentTaskId: string | null;
  declare occurrenceIndex: number | null;
  declare version: CreationOptional<number>;
  declare completedAt: Date | null;
  declare deletedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    TaskModel.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true },
        userId: { type: DataTypes.TEXT, allowNull: false },
        listId: { type: DataTypes.UUID, allowNull: false },
        assigneeId: { type: DataTypes.TEXT, allowNull: true, defaultValue: null },
        changedBy: { type: DataTypes.TEXT, allowNull: true, defaultValue: null },
        title: { type: DataTypes.STRING(255), allowNull: false },
        description: { type: DataTypes.TEXT },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        priority: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'medium' },
        tags: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] },
        dueDate: { type: DataTypes.DATE },
        reminderEnabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        reminderOffset: { type: DataTypes.INTEGER },
        reminderChannels: {
          type: DataTypes.ARRAY(DataTypes.TEXT),
          allowNull: false,
          defaultValue: ['email', 'push'],
        },
        seriesId: { type: DataTypes.UUID },
        parentTaskId: { type: DataTypes.UUID },
        occurrenceIndex: { type: DataTypes.INTEGER },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        completedAt: { type: DataTypes.DATE },
        deletedAt: { type: DataTypes.DATE },
        createdAt: { type: DataTypes.DATE },
        updatedAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'tasks', modelName: 'Task' },
    );
  }
}
