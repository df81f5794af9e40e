import {
  DataTypes,
  Model,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** How far a user's change feed has been pruned (written by the retention janitor). */
export class TaskChangeHorizonModel extends Model<
  InferAttributes<TaskChangeHorizonModel>,
  InferCreationAttributes<TaskChangeHorizonModel>
> {
  declare userId: string;
  /** The highest pruned seq; a cursor below it can no longer be replayed. */
  declare prunedThrough: string;

  static initialize(sequelize: Sequelize): void {
    TaskChangeHorizonModel.init(
      {
        userId: { type: DataTypes.TEXT, primaryKey: true },
        prunedThrough: { type: DataTypes.BIGINT, allowNull: false },
      },
      {
        sequelize,
        tableName: 'task_change_horizons',
        modelName: 'TaskChangeHorizon',
        timestamps: false,
      },
    );
  }
}
