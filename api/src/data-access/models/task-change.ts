import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { List, ListChangeAction, Task, TaskChangeAction } from '@todo/contracts';

/** One row of the per-user change feed; `seq` is the cursor clients resume from. */
export class TaskChangeModel extends Model<
  InferAttributes<TaskChangeModel>,
  InferCreationAttributes<TaskChangeModel>
> {
  declare seq: CreationOptional<string>;
  declare userId: string;
  /** `list`: a list's change (migration 016); `taskId` is then the list's id. */
  declare kind: CreationOptional<'task' | 'list'>;
  declare taskId: string;
  /** The list the row belongs to (migration 017): members of it read it in their feed. */
  declare listId: string | null;
  declare action: TaskChangeAction | ListChangeAction;
  declare changedFields: string[];
  declare snapshot: Task | List;
  declare createdAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    TaskChangeModel.init(
      {
        seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        userId: { type: DataTypes.TEXT, allowNull: false },
        kind: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'task' },
        taskId: { type: DataTypes.UUID, allowNull: false },
        listId: { type: DataTypes.UUID, allowNull: true },
        action: { type: DataTypes.STRING(16), allowNull: false },
        changedFields: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false },
        snapshot: { type: DataTypes.JSONB, allowNull: false },
        createdAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'task_changes', modelName: 'TaskChange', updatedAt: false },
    );
  }
}
