import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A list of tasks (migration 016). */
export class ListModel extends Model<
  InferAttributes<ListModel>,
  InferCreationAttributes<ListModel>
> {
  declare id: string;
  declare userId: string;
  declare name: string;
  declare color: string | null;
  declare position: CreationOptional<number>;
  declare isInbox: CreationOptional<boolean>;
  declare archivedAt: Date | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    ListModel.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true },
        userId: { type: DataTypes.TEXT, allowNull: false },
        name: { type: DataTypes.STRING(100), allowNull: false },
        color: { type: DataTypes.STRING(7) },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        isInbox: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        archivedAt: { type: DataTypes.DATE },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: { type: DataTypes.DATE },
        updatedAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'lists', modelName: 'List' },
    );
  }
}
